// The per-user totals of a cluster's self-service template: what the CPU, memory and storage limits
// of the namespaces one user created with it may add up to, so a developer cannot multiply the
// template's maximum by creating namespace after namespace. selfServiceNamespace holds a new
// namespace to them with the template's row locked, so simultaneous creates are decided one after
// the other and cannot together pass a total; the New Namespace form shows the same sums.
import type { Db } from "@/lib/db/pool";
import type { NamespaceLimits } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";

export type LimitKey = keyof NamespaceLimits;

/** What the user's self-service namespaces on a cluster hold, per limit; null when one of them has no such limit. */
export type SelfServiceUsage = Record<LimitKey, number | null>;

const LIMITS: { key: LimitKey; noun: string; column: string }[] = [
  { key: "cpu", noun: "CPU", column: "per_user_cpu" },
  { key: "memoryMiB", noun: "Memory", column: "per_user_memory_mib" },
  { key: "storageGiB", noun: "Storage", column: "per_user_storage_gib" },
];

/** A limit in the units the forms use: vCPUs, GiB of memory, GiB of storage. */
export function formatLimit(key: LimitKey, value: number): string {
  if (key === "cpu") return `${value} vCPU${value === 1 ? "" : "s"}`;
  if (key === "memoryMiB") return `${Math.round((value / 1024) * 100) / 100} GiB`;
  return `${value} GiB`;
}

export async function readSelfServiceUsage(db: Db, userId: string, cluster: string): Promise<SelfServiceUsage> {
  const sum = (key: LimitKey) =>
    `CASE WHEN bool_and(n.spec->'limits' ? '${key}') IS NOT FALSE THEN COALESCE(sum((n.spec->'limits'->>'${key}')::bigint), 0) END::float8 AS "${key}"`;
  const { rows } = await db.query<SelfServiceUsage>(
    `SELECT ${LIMITS.map(({ key }) => sum(key)).join(", ")}
       FROM self_served_namespaces s JOIN resources n ON n.uid = s.namespace_uid
      WHERE s.user_id = $1 AND s.cluster = $2`,
    [userId, cluster],
  );
  return rows[0]!;
}

/**
 * Refuses a self-service namespace whose limits would take its creator past the template's
 * per-user totals, naming the limit, what is used and what is asked. Locks the template's row
 * until the caller's transaction ends and reads the totals under that lock.
 */
export async function assertWithinPerUserTotals(tx: Db, user: { id: string }, cluster: string, limits: NamespaceLimits): Promise<void> {
  const { rows } = await tx.query<Record<string, number | null>>(
    `SELECT ${LIMITS.map(({ column }) => column).join(", ")} FROM namespace_templates WHERE cluster = $1 FOR UPDATE`,
    [cluster],
  );
  if (!rows[0]) throw new InvalidInputError("cluster", `Cluster ${cluster} offers no self-service namespaces.`);
  const totals = LIMITS.filter(({ column }) => rows[0]![column] !== null);
  if (totals.length === 0) return;
  const used = await readSelfServiceUsage(tx, user.id, cluster);
  for (const { key, noun, column } of totals) {
    const total = rows[0]![column]!;
    const asked = limits[key];
    const field = `limits.${key}`;
    if (asked === undefined) {
      throw new InvalidInputError(field, `${noun} limit is required on ${cluster}: your self-service namespaces there may total at most ${formatLimit(key, total)}.`);
    }
    const spent = used[key];
    if (spent === null) {
      throw new InvalidInputError(field, `${noun} limit is over your total on ${cluster}: one of your namespaces there has no ${noun.toLowerCase()} limit, and all of them may total at most ${formatLimit(key, total)}.`);
    }
    if (spent + asked > total) {
      throw new InvalidInputError(
        field,
        `${noun} limit is over your total on ${cluster}: you have used ${key === "cpu" ? spent : formatLimit(key, spent)} of your ${formatLimit(key, total)} and this namespace asks for ${formatLimit(key, asked)}.`,
      );
    }
  }
}

/** Records that the user created the namespace through the cluster's template; the row goes with the namespace. */
export async function recordSelfServed(tx: Db, user: { id: string }, cluster: string, namespaceUid: string): Promise<void> {
  await tx.query(`INSERT INTO self_served_namespaces (namespace_uid, user_id, cluster) VALUES ($1, $2, $3)`, [namespaceUid, user.id, cluster]);
}
