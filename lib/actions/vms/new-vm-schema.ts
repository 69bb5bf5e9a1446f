// The New Virtual Machine wizard's choices, shared by the wizard (which checks each step's fields
// before Next) and the create action (which checks them all again).
import { z } from "zod";
import { dns1123LabelSchema } from "@/lib/engine/schemas";

export const newVmSchema = z.object({
  name: dns1123LabelSchema,
  namespace: z.string().min(1, "is required: choose the namespace the VM belongs to"),
  /** Empty: DRS places the VM. */
  host: z.string(),
  className: z.string().min(1, "is required: choose a VM class"),
  imageName: z.string().min(1, "is required: choose an image from the content library"),
  storageClass: z.string().min(1, "is required: choose a datastore"),
  network: z.string().min(1, "is required: choose a network"),
  powerOn: z.boolean(),
});
export type NewVmValues = z.infer<typeof newVmSchema>;
