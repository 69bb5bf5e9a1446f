// The Add Host wizard's fields, for a simulated host and for one running the Skylight agent,
// checked the same way in the browser and in the action.
import { z } from "zod";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";

export const addHostFormSchema = z.object({
  name: dns1123SubdomainSchema.refine((name) => name.includes("."), "must be a fully qualified domain name, such as esx-13.seattle.lab"),
  cpuCores: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(896, "must be at most 896"),
  cpuMhz: z.number({ error: "must be a number" }).int("must be a whole number").min(500, "must be at least 500").max(6000, "must be at most 6000"),
  memoryGiB: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(24 * 1024, "must be at most 24576 (24 TiB)"),
  datastores: z.array(z.string().min(1)).min(1, "select at least one datastore"),
});
export type AddHostForm = z.infer<typeof addHostFormSchema>;

export const addHostInputSchema = addHostFormSchema.extend({ cluster: z.string().min(1, "is required") });

/** Add Host › "Host running the Skylight agent": its name and the datastore it keeps its VMs on. */
export const addAgentHostFormSchema = z.object({
  name: dns1123SubdomainSchema,
  datastore: dns1123SubdomainSchema,
});
export type AddAgentHostForm = z.infer<typeof addAgentHostFormSchema>;

export const addAgentHostInputSchema = addAgentHostFormSchema.extend({ cluster: z.string().min(1, "is required") });
