// Field ownership, the store behind metadata.managedFields: one entry per field manager and
// operation, as kube-apiserver keys them. Server-side apply writes an "Apply" entry, the
// configuration the manager applied (lib/kube/server-side-apply.ts); every other create, update and
// patch through the API writes an "Update" entry for its manager owning the fields it set or
// changed, taken over from every other entry without conflict. The console's writes (the engine)
// are recorded under no manager.
import type pg from "pg";
import { withTransaction, type Db } from "@/lib/db/pool";
import { sameJson } from "@/lib/engine/same-json";
import { itemKey, listMapKeys } from "@/lib/kube/list-maps";
import { topLevelStateFields } from "@/lib/vocabulary/config-object-fields";

/** Fields as leaf paths (JSON arrays of keys, stringified) to values. */
export type FlatConfiguration = Record<string, unknown>;

export type FieldOperation = "Apply" | "Update";

export interface FieldOwner {
  manager: string;
  operation: FieldOperation;
  /** The fields it owns, with the values it gave them. */
  fields: FlatConfiguration;
  time: Date;
}

/** The fields each of the other entries loses to a write. */
export type TakenOver = Map<FieldOwner, string[]>;

interface DesiredState {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

export const isItem = (segment: string) => segment.startsWith("k:");
/** A path without its list items' keys: the field path list-maps.ts knows. */
const fieldPath = (path: string[]) => path.filter((segment) => !isItem(segment));

function flatten(kind: string, value: unknown, path: string[], into: FlatConfiguration): FlatConfiguration {
  const keys = Array.isArray(value) ? listMapKeys(kind, fieldPath(path)) : undefined;
  const items = keys ? (value as unknown[]).map((item) => [itemKey(keys, item), item] as const) : [];
  if (keys && items.length > 0 && items.every(([key]) => key !== undefined)) {
    // Each item is owned on its own: the item itself (its key values), then its fields.
    for (const [key, item] of items) {
      into[JSON.stringify([...path, key!])] = Object.fromEntries(keys.map((name) => [name, (item as Record<string, unknown>)[name]]));
      for (const [field, fieldValue] of Object.entries(item as Record<string, unknown>)) flatten(kind, fieldValue, [...path, key!, field], into);
    }
  } else if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) flatten(kind, item, [...path, key], into);
  } else if (path.length > 1) {
    into[JSON.stringify(path)] = value;
  }
  return into;
}

/** The fields an apply configuration (or an object) of `kind` sets: labels, annotations and spec (a ConfigMap's or Secret's top-level fields). */
export function fieldsOf(kind: string, object: DesiredState): FlatConfiguration {
  const fields: FlatConfiguration = {};
  for (const map of ["labels", "annotations"] as const) {
    for (const [key, value] of Object.entries(object.metadata?.[map] ?? {})) fields[JSON.stringify(["metadata", map, key])] = value;
  }
  flatten(kind, object.spec ?? {}, ["spec"], fields);
  for (const field of topLevelStateFields(kind, object as unknown as Record<string, unknown>)) {
    const value = (object as unknown as Record<string, unknown>)[field];
    if (value !== null && typeof value === "object") flatten(kind, value, [field], fields);
    else if (value !== undefined) fields[JSON.stringify([field])] = value;
  }
  return fields;
}

/** An update's manager: its fieldManager, or else its User-Agent up to the first "/", as kube-apiserver names it. */
export const updateManagerOf = (fieldManager: string | null, userAgent: string | undefined) => fieldManager || (userAgent ?? "").split("/")[0]!;

export async function readFieldOwners(db: Db, uids: string[]): Promise<Map<string, FieldOwner[]>> {
  const owners = new Map<string, FieldOwner[]>();
  if (uids.length === 0) return owners;
  // kube-apiserver's order: Apply entries before Update entries, each by time (to the second), then by manager.
  const { rows } = await db.query<{ uid: string; manager: string; operation: FieldOperation; configuration: FlatConfiguration; applied_at: Date }>(
    `SELECT uid::text, manager, operation, configuration, applied_at FROM kube_applied_configurations
     WHERE uid = ANY($1::uuid[]) ORDER BY operation, date_trunc('second', applied_at), manager`,
    [uids],
  );
  for (const row of rows) owners.set(row.uid, [...(owners.get(row.uid) ?? []), { manager: row.manager, operation: row.operation, fields: row.configuration, time: row.applied_at }]);
  return owners;
}

export const readOwnersOf = async (db: Db, uid: string): Promise<FieldOwner[]> => (await readFieldOwners(db, [uid])).get(uid) ?? [];

/** Writes one entry and takes fields from the others, under a lock on the object's entries so concurrent writes don't lose each other's. */
async function record(tx: pg.PoolClient, uid: string, manager: string, operation: FieldOperation, fields: FlatConfiguration, takenOver: TakenOver): Promise<void> {
  await tx.query(
    `INSERT INTO kube_applied_configurations (uid, manager, operation, configuration) VALUES ($1, $2, $3, $4)
     ON CONFLICT (uid, manager, operation) DO UPDATE SET configuration = EXCLUDED.configuration, applied_at = now()`,
    [uid, manager, operation, fields],
  );
  for (const [owner, keys] of takenOver) {
    await tx.query(`UPDATE kube_applied_configurations SET configuration = configuration - $4::text[] WHERE uid = $1 AND manager = $2 AND operation = $3`, [uid, owner.manager, owner.operation, keys]);
  }
  // An entry left owning nothing goes, as kube-apiserver drops it; the applying manager's own stays.
  await tx.query(
    `DELETE FROM kube_applied_configurations WHERE uid = $1 AND configuration = '{}'::jsonb AND NOT (manager = $2 AND operation = $3 AND operation = 'Apply')`,
    [uid, manager, operation],
  );
}

const lockOwners = (tx: pg.PoolClient, uid: string) => tx.query(`SELECT pg_advisory_xact_lock(hashtext('kube_applied_configurations'), hashtext($1))`, [uid]);

/** Replaces every entry of the object with `owners`, as a client that writes metadata.managedFields asks (lib/kube/client-managed-fields.ts). */
export async function replaceFieldOwners(pool: pg.Pool, uid: string, owners: FieldOwner[]): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await lockOwners(tx, uid);
    await tx.query(`DELETE FROM kube_applied_configurations WHERE uid = $1`, [uid]);
    await tx.query(
      `INSERT INTO kube_applied_configurations (uid, manager, operation, configuration, applied_at)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])`,
      [uid, owners.map((owner) => owner.manager), owners.map((owner) => owner.operation), owners.map((owner) => JSON.stringify(owner.fields)), owners.map((owner) => owner.time)],
    );
  });
}

export async function recordApply(pool: pg.Pool, kind: string, uid: string, manager: string, applied: DesiredState, takenOver: TakenOver): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await lockOwners(tx, uid);
    await record(tx, uid, manager, "Apply", fieldsOf(kind, applied), takenOver);
  });
}

/**
 * Records a create (no `before`) or an update by `manager`: its "Update" entry gains every field
 * the write set or changed and loses the ones it removed, and every other entry loses them all.
 * A write that changed nothing records nothing.
 */
export async function recordUpdate(pool: pg.Pool, kind: string, uid: string, manager: string, before: DesiredState | undefined, after: DesiredState): Promise<void> {
  const old = before ? fieldsOf(kind, before) : {};
  const now = fieldsOf(kind, after);
  const changed = Object.keys(now).filter((key) => !Object.hasOwn(old, key) || !sameJson(old[key], now[key]));
  const lost = new Set([...changed, ...Object.keys(old).filter((key) => !Object.hasOwn(now, key))]);
  if (!manager || lost.size === 0) return;
  await withTransaction(pool, async (tx) => {
    await lockOwners(tx, uid);
    const owners = await readOwnersOf(tx, uid);
    const own = owners.find((owner) => owner.manager === manager && owner.operation === "Update");
    const kept = Object.entries(own?.fields ?? {}).filter(([key]) => !lost.has(key));
    const fields = Object.fromEntries([...kept, ...changed.map((key) => [key, now[key]] as const)]);
    const takenOver: TakenOver = new Map();
    for (const owner of owners) {
      const keys = [...lost].filter((key) => Object.hasOwn(owner.fields, key));
      if (owner !== own && keys.length > 0) takenOver.set(owner, keys);
    }
    await record(tx, uid, manager, "Update", fields, takenOver);
  });
}
