// The fields of the namespace forms (administrators' New/Edit Namespace, developers' self-service),
// as the browser holds them: limits as text (empty: unlimited; memory in GiB), allowances as
// lists (null: everything of that kind). `toAllowances` turns them into the engine's terms.
import { z } from "zod";
import { dns1123LabelSchema, type NamespaceLimits } from "@/lib/engine/schemas";

const limitField = z.string().trim().regex(/^\d*$/, "must be a whole number, or empty for no limit");

export const limitsFormSchema = z.object({ cpu: limitField, memoryGiB: limitField, storageGiB: limitField });
export type LimitsFormValues = z.infer<typeof limitsFormSchema>;

export const namespaceAllowancesFormSchema = limitsFormSchema.extend({
  vmClasses: z.array(z.string()).nullable(),
  images: z.array(z.string()).nullable(),
  storageClasses: z.array(z.string()).nullable(),
});

export const namespaceFormSchema = namespaceAllowancesFormSchema.extend({
  name: dns1123LabelSchema,
  cluster: z.string().min(1, "Choose a cluster."),
});
export type NamespaceFormValues = z.infer<typeof namespaceFormSchema>;

export const selfServiceFormSchema = limitsFormSchema.extend({
  name: dns1123LabelSchema,
  cluster: z.string().min(1, "Choose a cluster."),
});
export type SelfServiceFormValues = z.infer<typeof selfServiceFormSchema>;

/** Administration › Self-Service: one cluster's template (empty lists: everything of that kind). */
export const templateFormSchema = z.object({
  cluster: z.string().min(1, "Choose a cluster."),
  defaults: limitsFormSchema,
  max: limitsFormSchema,
  perUser: limitsFormSchema,
  vmClasses: z.array(z.string()),
  images: z.array(z.string()),
  storageClasses: z.array(z.string()),
  groups: z.array(z.string()),
  ownersMayDelete: z.boolean(),
});

const number = (text: string) => (text === "" ? undefined : Number(text));

export function toLimits(values: LimitsFormValues): NamespaceLimits {
  const cpu = number(values.cpu);
  const memoryGiB = number(values.memoryGiB);
  const storageGiB = number(values.storageGiB);
  return {
    ...(cpu !== undefined && { cpu }),
    ...(memoryGiB !== undefined && { memoryMiB: memoryGiB * 1024 }),
    ...(storageGiB !== undefined && { storageGiB }),
  };
}

export function limitsToForm(limits: NamespaceLimits): LimitsFormValues {
  return {
    cpu: limits.cpu === undefined ? "" : String(limits.cpu),
    memoryGiB: limits.memoryMiB === undefined ? "" : String(Math.round(limits.memoryMiB / 1024)),
    storageGiB: limits.storageGiB === undefined ? "" : String(limits.storageGiB),
  };
}

export function toAllowances(values: z.infer<typeof namespaceAllowancesFormSchema>) {
  return {
    limits: toLimits(values),
    ...(values.vmClasses && { vmClasses: values.vmClasses }),
    ...(values.images && { images: values.images }),
    ...(values.storageClasses && { storageClasses: values.storageClasses }),
  };
}
