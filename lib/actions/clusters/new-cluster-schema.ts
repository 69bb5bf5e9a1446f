// Datacenter › New Cluster's fields, checked the same way in the dialog and in the action.
import { z } from "zod";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";

export const newClusterFormSchema = z.object({
  name: dns1123SubdomainSchema,
  drs: z.boolean(),
  ha: z.boolean(),
});
export type NewClusterForm = z.infer<typeof newClusterFormSchema>;

export const createClusterInputSchema = newClusterFormSchema.extend({ datacenter: z.string().min(1, "is required") });
