// The Add Host wizard's fields, for a simulated host and for one running the Skylight agent,
// checked the same way in the browser and in the action.
import { z } from "zod";
import { dns1123SubdomainSchema, MAX_OTHER_DATASTORES } from "@/lib/engine/schemas";

export const addHostFormSchema = z.object({
  name: dns1123SubdomainSchema.refine((name) => name.includes("."), "must be a fully qualified domain name, such as esx-13.seattle.lab"),
  cpuCores: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(896, "must be at most 896"),
  cpuMhz: z.number({ error: "must be a number" }).int("must be a whole number").min(500, "must be at least 500").max(6000, "must be at most 6000"),
  memoryGiB: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(24 * 1024, "must be at most 24576 (24 TiB)"),
  datastores: z.array(z.string().min(1)).min(1, "select at least one datastore"),
});
export type AddHostForm = z.infer<typeof addHostFormSchema>;

export const addHostInputSchema = addHostFormSchema.extend({ cluster: z.string().min(1, "is required") });

/** The "Other datastores" field as typed: names separated by commas or spaces. */
export const datastoreNames = (text: string) => text.split(/[\s,]+/).filter(Boolean);

const otherDatastoresSchema = z.array(dns1123SubdomainSchema).max(MAX_OTHER_DATASTORES, `must be at most ${MAX_OTHER_DATASTORES} datastores`);

/**
 * Add Host › "Host running the Skylight agent": its name, the datastore it keeps its VMs on by
 * default, and the other datastores it mounts, typed as a list of names.
 */
export const addAgentHostFormSchema = z
  .object({
    name: dns1123SubdomainSchema,
    datastore: dns1123SubdomainSchema,
    otherDatastores: z.string().superRefine((text, context) => {
      const names = datastoreNames(text);
      const invalid = names.find((name) => !dns1123SubdomainSchema.safeParse(name).success);
      if (invalid) context.addIssue({ code: "custom", message: `must be lowercase RFC 1123 names separated by commas, such as fast-ssd-01 ("${invalid}" is not)` });
      else if (!otherDatastoresSchema.safeParse(names).success) context.addIssue({ code: "custom", message: `must be at most ${MAX_OTHER_DATASTORES} datastores` });
      else if (new Set(names).size !== names.length) context.addIssue({ code: "custom", message: "must not name a datastore twice" });
    }),
  })
  .refine((form) => !datastoreNames(form.otherDatastores).includes(form.datastore), { path: ["otherDatastores"], message: "must not repeat the default datastore" });
export type AddAgentHostForm = z.infer<typeof addAgentHostFormSchema>;

export const addAgentHostInputSchema = z.object({
  name: dns1123SubdomainSchema,
  datastore: dns1123SubdomainSchema,
  otherDatastores: otherDatastoresSchema,
  cluster: z.string().min(1, "is required"),
});
