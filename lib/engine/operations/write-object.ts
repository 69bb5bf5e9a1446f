// The one path every write of desired state takes, in one transaction: authorize the actor (a
// global permission, a role on the object, or both) before anything is read; lock the object and
// compare the expected resourceVersion or generation (stale → ConflictError, nothing written);
// let the intent compute the change under its own rules (InvalidInputError refuses it); write it
// — create, spec, labels and annotations, a new name, marked deleted or removed; create the Task
// with its audit Event; enqueue the reconciles. The enqueue commits with the write, so no
// reconcile is ever lost. Each engine operation is one call of writeObject.
import type pg from "pg";
import { assertCan, auditName, authorize, type GlobalPermission, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent, type NewEvent } from "@/lib/engine/activity";
import {
  AlreadyExistsError,
  getObject,
  insertObject,
  markDeleted,
  objectKeyString,
  removeObject,
  renameObject,
  writeMetadata,
  writeSpec,
  writeStatus,
  type NewObject,
  type ObjectKey,
  type OwnerReference,
  type StoredObject,
} from "@/lib/engine/object-store";
import { collectorKey } from "@/lib/engine/collector-keys";
import { enqueue, enqueueRollups } from "@/lib/engine/reconcile-queue";
import { logRepeatable } from "@/lib/log/rate-limited-log";
import { sameJson } from "@/lib/engine/same-json";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { FOREGROUND_FINALIZER, isEngineOwnedReference, ORPHAN_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

export type OperationActor = UserActor;

export interface OperationResult<Spec> {
  object: StoredObject<Spec>;
  /** "" when the write changed nothing and `noOpWithoutTask` was asked. */
  taskId: string;
}

/**
 * Who may make the write, checked first, in this order: a global permission, a role on the
 * object's key (lib/auth/authorize.ts), a check of the intent's own (a self-service template's
 * groups). Without any, the actor must be able to operate the object.
 */
export interface WriteAuthority {
  permission?: GlobalPermission;
  verb?: Verb;
  check?: (tx: Db) => Promise<void>;
}

/** What a write changes on an existing object; anything absent stays as it is. */
export interface ObjectChange<Spec> {
  spec?: Spec;
  /** A client's status of an object whose status no Skylight controller writes (a custom resource's). */
  status?: Record<string, unknown>;
  /** The complete new labels, annotations, finalizers or ownerReferences. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  /** A new name in the same namespace; the object keeps its uid (a VM's Rename). */
  name?: string;
  /** "mark": deleted once its finalizers are released; "remove": gone with this write. */
  delete?: "mark" | "remove";
  /** The task's name, when it depends on what the change turned out to be (a kubectl update). */
  task?: { operation: string; description: string };
}

interface WriteCommon {
  actor: OperationActor;
  key: ObjectKey;
  authority?: WriteAuthority;
  /** The task's operation (also the event's reason) and description. */
  operation: string;
  description: string;
  /** The audit event's words; "<user>: <description>" unless given. */
  message?: string;
  severity?: NewEvent["severity"];
  /** The write itself is the whole operation (nothing for a controller to carry out): its task is done at once. */
  completesAtOnce?: boolean;
  /** A change that turns out to change nothing writes no task (a kubectl patch that repeats what is there). */
  noOpWithoutTask?: boolean;
  /** Where a name already taken is refused (a create or a rename), and in which words. */
  nameTaken?: { field: string; message: string };
  /** Other keys whose controllers should look again (a host's cluster, say), given the object as written. */
  alsoEnqueue?: (object: StoredObject) => string[];
  /** The object as its audit event records it, when not all of it may be shown (a Secret's keys, without their values). */
  audited?: (object: StoredObject) => StoredObject;
  /** Bookkeeping of the intent's own that commits with the write (who self-served a namespace). */
  afterWrite?: (object: StoredObject, tx: Db) => Promise<void>;
  pool?: pg.Pool;
}

export interface CreateRequest<Spec> extends WriteCommon {
  /** The new object, built under the intent's rules once the actor is authorized. */
  create: (tx: Db) => NewObject<Spec> | Promise<NewObject<Spec>>;
}

export interface ChangeRequest<Spec> extends WriteCommon {
  expectedResourceVersion?: string;
  /**
   * For settings forms: the spec's generation the form opened with. Unlike the resourceVersion,
   * it does not move when a controller reports status, so only someone else's change of desired
   * state is a conflict.
   */
  expectedGeneration?: number;
  /** Computes the change from the current object; throws InvalidInputError to refuse. */
  change: (current: StoredObject<Spec>, tx: Db) => ObjectChange<Spec> | Promise<ObjectChange<Spec>>;
  /** The change may be made to an object being deleted (a client releasing its finalizer); others are refused. */
  whileDeleting?: boolean;
}

export type WriteRequest<Spec> = CreateRequest<Spec> | ChangeRequest<Spec>;

/** An object's desired state replaced as a whole (kubectl apply, replace, patch, the YAML tab). */
export interface ObjectReplacement {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: unknown;
  /** The complete new ownerReferences, the engine's own kept (lib/kube/owner-reference-admission.ts); absent: unchanged. */
  ownerReferences?: OwnerReference[];
  expectedResourceVersion?: string;
}

async function authorizeWrite(tx: Db, request: WriteCommon) {
  const authority = request.authority ?? { verb: "operate" };
  if (authority.permission) assertCan(request.actor, authority.permission);
  if (authority.verb) await authorize(request.actor, authority.verb, request.key, tx);
  if (authority.check) await authority.check(tx);
}

function nameTaken(request: WriteCommon, error: unknown): never {
  if (error instanceof AlreadyExistsError && request.nameTaken) throw new InvalidInputError(request.nameTaken.field, request.nameTaken.message);
  throw error;
}

/** The parts of the object the write changed, as the audit event records them before and after. */
const AUDITED = ["name", "spec", "labels", "annotations", "finalizers", "ownerReferences"] as const;

/**
 * Whether the garbage collector should look at the object written: a client named owners it must
 * check (one may already be gone), or a Foreground or Orphan delete waits for it.
 */
function needsCollector(before: StoredObject | null, after: StoredObject): boolean {
  if (after.deletionTimestamp && !before?.deletionTimestamp) return after.finalizers.includes(FOREGROUND_FINALIZER) || after.finalizers.includes(ORPHAN_FINALIZER);
  if (before && sameJson(before.ownerReferences, after.ownerReferences)) return false;
  return after.ownerReferences.some((reference) => !isEngineOwnedReference(reference));
}

function audit(before: StoredObject, after: StoredObject) {
  const changed = AUDITED.filter((part) => !sameJson(before[part], after[part]));
  if (changed.length === 0) return {};
  return { before: Object.fromEntries(changed.map((part) => [part, before[part]])), after: Object.fromEntries(changed.map((part) => [part, after[part]])) };
}

async function applyChange<Spec>(tx: Db, request: ChangeRequest<Spec>, current: StoredObject<Spec>, change: ObjectChange<Spec>): Promise<StoredObject<Spec>> {
  let object = current;
  const metadata = {
    labels: change.labels && !sameJson(change.labels, current.labels) ? change.labels : undefined,
    annotations: change.annotations && !sameJson(change.annotations, current.annotations) ? change.annotations : undefined,
    finalizers: change.finalizers && !sameJson(change.finalizers, current.finalizers) ? change.finalizers : undefined,
    ownerReferences: change.ownerReferences && !sameJson(change.ownerReferences, current.ownerReferences) ? change.ownerReferences : undefined,
  };
  if (change.name !== undefined && change.name !== current.name) {
    object = await renameObject<Spec, unknown>(tx, object, change.name, metadata.annotations ?? object.annotations).catch((error: unknown) => nameTaken(request, error));
    metadata.annotations = undefined;
  }
  if (change.spec !== undefined && !sameJson(change.spec, current.spec)) {
    object = await writeSpec<Spec, unknown>(tx, object, change.spec, { labels: metadata.labels, annotations: metadata.annotations });
    metadata.labels = metadata.annotations = undefined;
  }
  if (metadata.labels || metadata.annotations || metadata.finalizers || metadata.ownerReferences) object = await writeMetadata<Spec, unknown>(tx, object, metadata);
  if (change.status !== undefined && !sameJson(change.status, current.status)) object = await writeStatus<Spec, unknown>(tx, object, change.status);
  if (change.delete) object = await markDeleted<Spec, unknown>(tx, object);
  if (change.delete === "remove") await removeObject(tx, object);
  return object;
}

export async function writeObject<Spec>(request: WriteRequest<Spec>): Promise<OperationResult<Spec>> {
  const pool = request.pool ?? getPool();
  const written = await writeInTransaction(pool, request);
  // A VM's or pod's namespace recounts its usage against its limits: a roll-up, asked for after the
  // commit (admission counts the objects themselves), so creates into one namespace do not queue
  // behind each other's commits on the namespace's one queue row.
  // The write is committed: a roll-up that cannot be asked for now (the database just went away) is
  // the next resync's to do, and the write is still reported as done.
  const { object } = written;
  if (written.taskId && (object.kind === "VirtualMachine" || object.kind === "Pod")) {
    await enqueueRollups(pool, [`Namespace//${object.namespace}`]).catch((error: Error) => logRepeatable(`[engine] could not ask for namespace ${object.namespace}'s roll-up: ${error.message}`));
  }
  return written;
}

function writeInTransaction<Spec>(pool: pg.Pool, request: WriteRequest<Spec>): Promise<OperationResult<Spec>> {
  return withTransaction(pool, async (tx) => {
    await authorizeWrite(tx, request);
    let before: StoredObject<Spec> | null = null;
    let object: StoredObject<Spec>;
    let task = { operation: request.operation, description: request.description };
    let deleted = false;
    if ("create" in request) {
      const created = await request.create(tx);
      object = await insertObject<Spec>(tx, created).catch((error: unknown) => nameTaken(request, error));
    } else {
      const current = await getObject<Spec, unknown>(tx, request.key, { forUpdate: true });
      if (!current) throw new NotFoundError(`${request.key.kind} "${request.key.name}" does not exist.`);
      if (request.expectedResourceVersion !== undefined && request.expectedResourceVersion !== current.resourceVersion) {
        throw new ConflictError(current.kind, current.name, current.resourceVersion);
      }
      if (request.expectedGeneration !== undefined && request.expectedGeneration !== current.generation) {
        throw new ConflictError(current.kind, current.name, current.resourceVersion);
      }
      if (current.deletionTimestamp && !request.whileDeleting) throw new InvalidInputError("metadata.deletionTimestamp", `${current.kind} "${current.name}" is being deleted.`);
      const change = await request.change(current, tx);
      object = await applyChange(tx, request, current, change);
      if (request.noOpWithoutTask && object === current && !change.delete) return { object, taskId: "" };
      before = current;
      deleted = change.delete !== undefined;
      if (change.task) task = change.task;
    }

    await request.afterWrite?.(object as StoredObject, tx);
    const shown = (stored: StoredObject<Spec>) => (request.audited ? request.audited(stored as StoredObject) : stored);
    const recorded = deleted ? { before: { spec: shown(before!).spec } } : before ? audit(shown(before), shown(object)) : { after: { spec: shown(object).spec } };
    const taskId = await createTaskWithEvent(
      tx,
      { ...task, target: object, targetGeneration: object.generation, initiator: auditName(request.actor), state: request.completesAtOnce ? "success" : "queued" },
      { reason: task.operation, message: request.message ?? `${auditName(request.actor)}: ${task.description}`, actor: auditName(request.actor), severity: request.severity, ...recorded },
    );
    const collector = needsCollector(before as StoredObject | null, object as StoredObject) ? [collectorKey(object.uid)] : [];
    await enqueue(tx, [objectKeyString(object), ...collector, ...(request.alsoEnqueue?.(object) ?? [])]);
    return { object, taskId };
  });
}

export { ConflictError };
