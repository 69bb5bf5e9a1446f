// The New Virtual Machine wizard's choices, shared by the wizard (which checks each step's fields
// before Next) and the create action (which checks them all again), the Customize step's among them.
import { z } from "zod";
import { customizationSchema, refineCustomization } from "@/lib/actions/vms/guest-customization";
import { dns1123LabelSchema } from "@/lib/engine/schemas";

/** The fields, for schemas that take some of them (Clone to Virtual Machine's). */
export const newVmFieldsSchema = customizationSchema.extend({
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

export const newVmSchema = newVmFieldsSchema.superRefine(refineCustomization);
export type NewVmValues = z.infer<typeof newVmSchema>;
