// Reads and writes of reconciled objects in the `resources` table, with Kubernetes' rules:
// every write takes a new resourceVersion from one global sequence, a spec change bumps
// generation, and a write that names a stale resourceVersion changes nothing.
import type { Db } from "@/lib/db/pool";
import { ConflictError } from "@/lib/errors";
import type { StoredKind } from "@/lib/inventory/kinds";
import { collectorKeysAfterRemoval } from "@/lib/engine/collector-keys";
import { enqueue } from "@/lib/engine/reconcile-queue";
import type { OwnerReferenceShape } from "@/lib/vocabulary/engine-owned-metadata";

export interface ObjectKey {
  kind: StoredKind;
  namespace: string;
  name: string;
}

export type OwnerReference = OwnerReferenceShape;

export interface StoredObject<Spec = unknown, Status = unknown> extends ObjectKey {
  uid: string;
  apiVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  finalizers: string[];
  ownerReferences: OwnerReference[];
  generation: number;
  resourceVersion: string;
  creationTimestamp: Date;
  deletionTimestamp: Date | null;
  spec: Spec;
  status: Status;
}

export const RESOURCE_COLUMNS = `uid::text, api_version, kind, namespace, name, labels, annotations, finalizers, owner_references,
  generation::int, resource_version::text, creation_timestamp, deletion_timestamp, spec, status`;

export interface ResourceRow {
  uid: string;
  api_version: string;
  kind: StoredKind;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  finalizers: string[];
  owner_references: OwnerReference[];
  generation: number;
  resource_version: string;
  creation_timestamp: Date;
  deletion_timestamp: Date | null;
  spec: unknown;
  status: unknown;
}

export function storedObjectFromRow<Spec, Status>(row: ResourceRow): StoredObject<Spec, Status> {
  return {
    uid: row.uid,
    apiVersion: row.api_version,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    labels: row.labels,
    annotations: row.annotations,
    finalizers: row.finalizers,
    ownerReferences: row.owner_references,
    generation: row.generation,
    resourceVersion: row.resource_version,
    creationTimestamp: row.creation_timestamp,
    deletionTimestamp: row.deletion_timestamp,
    spec: row.spec as Spec,
    status: row.status as Status,
  };
}

export function objectKeyString(key: ObjectKey): string {
  return `${key.kind}/${key.namespace}/${key.name}`;
}

export function parseObjectKey(value: string): ObjectKey {
  const [kind, namespace, ...rest] = value.split("/");
  return { kind: kind as StoredKind, namespace: namespace ?? "", name: rest.join("/") };
}

/**
 * One object by key. `forUpdate` locks it against every other writer until the transaction ends;
 * `forKeyShare` only against its deletion and anyone locking it for update, so many can hold it.
 */
export async function getObject<Spec, Status>(db: Db, key: ObjectKey, options: { forUpdate?: boolean; forKeyShare?: boolean } = {}) {
  const lock = options.forUpdate ? "update" : options.forKeyShare ? "key-share" : null;
  // Prepared: this lookup runs several times for every reconcile.
  const { rows } = await db.query<ResourceRow>({
    name: lock ? `resource-get-for-${lock}` : "resource-get",
    text: `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = $1 AND namespace = $2 AND name = $3${lock ? ` FOR ${lock === "update" ? "UPDATE" : "KEY SHARE"}` : ""}`,
    values: [key.kind, key.namespace, key.name],
  });
  return rows[0] ? storedObjectFromRow<Spec, Status>(rows[0]) : null;
}

/** Many objects of one kind by name, in one query; the ones that do not exist are left out. */
export async function getObjects<Spec, Status>(db: Db, keys: ObjectKey[]): Promise<StoredObject<Spec, Status>[]> {
  if (keys.length === 0) return [];
  // Not prepared: a generic plan cannot know how many keys come, and may scan the table for a few.
  const { rows } = await db.query<ResourceRow>(
    `SELECT ${RESOURCE_COLUMNS} FROM resources
      WHERE (kind, namespace, name) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
    [keys.map((key) => key.kind), keys.map((key) => key.namespace), keys.map((key) => key.name)],
  );
  return rows.map((row) => storedObjectFromRow<Spec, Status>(row));
}

/**
 * writeStatus for many objects in one statement, each only if it still has the resourceVersion it
 * was read at: returns the objects written; one changed meanwhile is left out (the caller reads it again).
 */
export async function writeStatuses<Spec, Status>(
  db: Db,
  writes: { current: StoredObject; status: Status; annotations?: Record<string, string> }[],
): Promise<StoredObject<Spec, Status>[]> {
  if (writes.length === 0) return [];
  const { rows } = await db.query<ResourceRow>({
    text: `UPDATE resources AS r SET status = w.new_status, annotations = COALESCE(w.new_annotations, r.annotations)
             FROM unnest($1::uuid[], $2::bigint[], $3::jsonb[], $4::jsonb[]) AS w(target_uid, read_version, new_status, new_annotations)
            WHERE r.uid = ANY($1::uuid[]) AND r.uid = w.target_uid AND r.resource_version = w.read_version
        RETURNING ${RESOURCE_COLUMNS}`,
    values: [
      writes.map((write) => write.current.uid),
      writes.map((write) => write.current.resourceVersion),
      writes.map((write) => JSON.stringify(write.status)),
      writes.map((write) => (write.annotations ? JSON.stringify(write.annotations) : null)),
    ],
  });
  return rows.map((row) => storedObjectFromRow<Spec, Status>(row));
}

/** One object by uid, whatever its kind; `forUpdate` locks it as getObject does. */
export async function getObjectByUid<Spec, Status>(db: Db, uid: string, options: { forUpdate?: boolean } = {}) {
  const { rows } = await db.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE uid = $1${options.forUpdate ? " FOR UPDATE" : ""}`, [uid]);
  return rows[0] ? storedObjectFromRow<Spec, Status>(rows[0]) : null;
}

export async function listObjects<Spec, Status>(db: Db, kind: StoredKind, where = "TRUE", values: unknown[] = []) {
  const { rows } = await db.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = $1 AND (${where}) ORDER BY namespace, name`, [
    kind,
    ...values,
  ]);
  return rows.map((row) => storedObjectFromRow<Spec, Status>(row));
}

export interface NewObject<Spec> extends ObjectKey {
  apiVersion: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  spec: Spec;
  status?: Record<string, unknown>;
}

export async function insertObject<Spec>(db: Db, object: NewObject<Spec>): Promise<StoredObject<Spec>> {
  const { rows } = await db.query<ResourceRow>({
    name: "resource-insert",
    text: `INSERT INTO resources (api_version, kind, namespace, name, labels, annotations, finalizers, owner_references, spec, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (kind, namespace, name) DO NOTHING
     RETURNING ${RESOURCE_COLUMNS}`,
    values: [
      object.apiVersion,
      object.kind,
      object.namespace,
      object.name,
      object.labels ?? {},
      object.annotations ?? {},
      object.finalizers ?? [],
      JSON.stringify(object.ownerReferences ?? []),
      object.spec,
      object.status ?? {},
    ],
  });
  if (!rows[0]) throw new AlreadyExistsError(object);
  return storedObjectFromRow(rows[0]);
}

export class AlreadyExistsError extends Error {
  constructor(readonly key: ObjectKey) {
    super(`${key.kind} "${key.namespace ? `${key.namespace}/` : ""}${key.name}" already exists.`);
  }
}

interface WriteOptions {
  /** When given, the write succeeds only if the object still has this resourceVersion. */
  expectedResourceVersion?: string;
}

async function writeColumns<Spec, Status>(
  db: Db,
  current: StoredObject,
  assignments: string,
  values: unknown[],
  options: WriteOptions,
): Promise<StoredObject<Spec, Status>> {
  const expected = options.expectedResourceVersion ?? current.resourceVersion;
  const { rows } = await db.query<ResourceRow>(
    `UPDATE resources SET ${assignments}, resource_version = nextval('resource_version_seq')
      WHERE uid = $1 AND resource_version = $2
      RETURNING ${RESOURCE_COLUMNS}`,
    [current.uid, expected, ...values],
  );
  if (!rows[0]) {
    const latest = await getObject(db, current);
    throw new ConflictError(current.kind, current.name, latest?.resourceVersion ?? "");
  }
  return storedObjectFromRow(rows[0]);
}

/** Replaces spec (bumping generation) and, optionally, labels and annotations. */
export function writeSpec<Spec, Status>(
  db: Db,
  current: StoredObject,
  spec: Spec,
  options: WriteOptions & { annotations?: Record<string, string>; labels?: Record<string, string> } = {},
) {
  return writeColumns<Spec, Status>(
    db,
    current,
    "spec = $3, generation = generation + 1, annotations = COALESCE($4, annotations), labels = COALESCE($5, labels)",
    [spec, options.annotations ?? null, options.labels ?? null],
    options,
  );
}

/** Metadata-only change: annotations, labels, finalizers, ownerReferences; generation stays. */
export function writeMetadata<Spec, Status>(
  db: Db,
  current: StoredObject,
  metadata: { annotations?: Record<string, string>; labels?: Record<string, string>; finalizers?: string[]; ownerReferences?: OwnerReference[] },
  options: WriteOptions = {},
) {
  return writeColumns<Spec, Status>(
    db,
    current,
    "annotations = COALESCE($3, annotations), labels = COALESCE($4, labels), finalizers = COALESCE($5, finalizers), owner_references = COALESCE($6::jsonb, owner_references)",
    [metadata.annotations ?? null, metadata.labels ?? null, metadata.finalizers ?? null, metadata.ownerReferences ? JSON.stringify(metadata.ownerReferences) : null],
    options,
  );
}

/** Replaces status; annotations too when given (one statement where a controller needs both). */
export function writeStatus<Spec, Status>(
  db: Db,
  current: StoredObject,
  status: Status,
  options: WriteOptions & { annotations?: Record<string, string> } = {},
) {
  return writeColumns<Spec, Status>(db, current, "status = $3, annotations = COALESCE($4, annotations)", [status, options.annotations ?? null], options);
}

/**
 * Gives the object a new name in its namespace, keeping its uid (see renameVirtualMachine); an
 * object of that kind already named so → AlreadyExistsError.
 */
export async function renameObject<Spec, Status>(db: Db, current: StoredObject, name: string, annotations: Record<string, string>) {
  try {
    return await writeColumns<Spec, Status>(db, current, "name = $3, annotations = $4", [name, annotations], {});
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new AlreadyExistsError({ ...current, name });
    throw error;
  }
}

/** Marks the object for deletion; it disappears once its finalizers are gone. */
export function markDeleted<Spec, Status>(db: Db, current: StoredObject, options: WriteOptions = {}) {
  return writeColumns<Spec, Status>(db, current, "deletion_timestamp = COALESCE(deletion_timestamp, now())", [], options);
}

/**
 * Removes the row; callers do this only once the object is marked deleted and has no finalizers.
 * The garbage collector looks at what referred to it, and at owners waiting in the foreground for
 * it (lib/engine/collector-keys.ts): in the caller's transaction, so the pass commits with the removal.
 */
export async function removeObject(db: Db, current: StoredObject): Promise<void> {
  const { rows } = await db.query<{ uid: string; owner_references: OwnerReference[] }>(
    `DELETE FROM resources WHERE uid = $1 AND deletion_timestamp IS NOT NULL AND cardinality(finalizers) = 0 RETURNING uid::text, owner_references`,
    [current.uid],
  );
  if (rows[0]) await enqueue(db, await collectorKeysAfterRemoval(db, rows[0].uid, rows[0].owner_references));
}
