// Self-service templates, one per cluster: what a developer's New Namespace starts with and may not
// exceed, what all of one developer's namespaces from it may total, what they may use, and which
// groups may use it, and whether their creators may delete them. Administrators only.
import { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { namespaceLimitsSchema } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";

export const templateInputSchema = z.object({
  cluster: z.string().min(1, "is required"),
  defaults: namespaceLimitsSchema,
  max: namespaceLimitsSchema,
  perUser: namespaceLimitsSchema.default({}),
  vmClasses: z.array(z.string().min(1)).default([]),
  images: z.array(z.string().min(1)).default([]),
  storageClasses: z.array(z.string().min(1)).default([]),
  groups: z.array(z.string().min(1)).default([]),
  ownersMayDelete: z.boolean().default(true),
});

const LIMIT_NAMES = { cpu: "CPU", memoryMiB: "Memory", storageGiB: "Storage" } as const;

export async function saveTemplate(actor: Actor, input: z.input<typeof templateInputSchema>): Promise<void> {
  assertCan(actor, "namespaces.manage");
  const template = templateInputSchema.parse(input);
  for (const key of Object.keys(LIMIT_NAMES) as (keyof typeof LIMIT_NAMES)[]) {
    const [value, max] = [template.defaults[key], template.max[key]];
    if (max !== undefined && value !== undefined && value > max) {
      throw new InvalidInputError(`defaults.${key}`, `${LIMIT_NAMES[key]} default (${value}) is above its maximum (${max}).`);
    }
    const total = template.perUser[key];
    if (total !== undefined && value !== undefined && value > total) {
      throw new InvalidInputError(`perUser.${key}`, `${LIMIT_NAMES[key]} total per user (${total}) is below the default (${value}): no one could create a namespace with the defaults.`);
    }
  }
  const cluster = await prisma.resource.findFirst({ where: { kind: "Cluster", namespace: "", name: template.cluster } });
  if (!cluster) throw new InvalidInputError("cluster", `Cluster "${template.cluster}" does not exist.`);
  const groups = await prisma.userGroup.findMany({ where: { name: { in: template.groups } }, select: { name: true } });
  const missing = template.groups.filter((name) => !groups.some((group) => group.name === name));
  if (missing.length) throw new InvalidInputError("groups", `There is no group named ${missing.join(", ")}.`);
  const data = {
    defaultCpu: template.defaults.cpu ?? null,
    defaultMemoryMiB: template.defaults.memoryMiB ?? null,
    defaultStorageGiB: template.defaults.storageGiB ?? null,
    maxCpu: template.max.cpu ?? null,
    maxMemoryMiB: template.max.memoryMiB ?? null,
    maxStorageGiB: template.max.storageGiB ?? null,
    perUserCpu: template.perUser.cpu ?? null,
    perUserMemoryMiB: template.perUser.memoryMiB ?? null,
    perUserStorageGiB: template.perUser.storageGiB ?? null,
    vmClasses: template.vmClasses,
    images: template.images,
    storageClasses: template.storageClasses,
    groups: template.groups,
    ownersMayDelete: template.ownersMayDelete,
  };
  await prisma.namespaceTemplate.upsert({ where: { cluster: template.cluster }, create: { cluster: template.cluster, ...data }, update: data });
}

export async function deleteTemplate(actor: Actor, cluster: string): Promise<void> {
  assertCan(actor, "namespaces.manage");
  await prisma.namespaceTemplate.deleteMany({ where: { cluster } });
}
