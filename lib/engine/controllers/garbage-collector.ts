// The garbage collector, as kube-controller-manager's, over every kind in the resources table. Its
// reconcile key is an object's uid (lib/engine/collector-keys.ts), asked for when a client names
// owners, when an object that something refers to is removed, and when an owner is deleted with
// Foreground or Orphan; nothing is polled. A pass looks at the uid in both parts it may play:
// - as an owner: gone, each dependent whose every owner is gone is deleted (Background), one with
//   another live owner keeps that one and loses the reference to the gone one; being deleted with
//   Orphan, its dependents lose their references to it, then the `orphan` finalizer goes; being
//   deleted with Foreground, its dependents are deleted (in the foreground too), and the
//   `foregroundDeletion` finalizer goes once none with blockOwnerDeletion is left.
// - as a dependent: an owner is absent when no object of its kind and name exists where the
//   dependent can have it (its namespace, or cluster scope) or that object has another uid; a
//   custom resource owner (`Widget` of example.com/v1) is looked for by its uid.
// Deletes go through the engine's own delete operations as "garbage-collector", so a collected VM
// powers off, is removed by its controller and shows its task like any other delete. A VM's
// reference to its namespace is the namespace controller's business, not an owner here. Each pass
// handles at most DEPENDENTS_PER_PASS dependents and asks for another at once when there are more.
import { withTransaction, type Db } from "@/lib/db/pool";
import { finishTasks, openTasks } from "@/lib/engine/activity";
import { collectorKey, isUid, referencesTo } from "@/lib/engine/collector-keys";
import { ignoreGone } from "@/lib/engine/controllers/deployment-controller";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, getObjectByUid, RESOURCE_COLUMNS, removeObject, storedObjectFromRow, writeMetadata, type ObjectKey, type OwnerReference, type ResourceRow, type StoredObject } from "@/lib/engine/object-store";
import { deleteConfigObject } from "@/lib/engine/operations/config-object-operations";
import { deleteCustomResource } from "@/lib/engine/operations/custom-resource-operations";
import { deletePod } from "@/lib/engine/operations/pod-operations";
import { deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { deleteWorkload } from "@/lib/engine/operations/workload-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { controllerOwnerKeys } from "@/lib/engine/owner-references";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { API_ONLY_KIND_API_VERSIONS, isCustomResourceKind, KIND_API_VERSIONS, type CustomResourceKind } from "@/lib/inventory/kinds";
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";

export const GARBAGE_COLLECTOR: OperationActor = { id: "system:garbage-collector", username: "garbage-collector", role: "administrator" };

/** Dependents one pass looks at; with more, another pass follows at once. */
export const DEPENDENTS_PER_PASS = 100;
/** An owner waiting in the foreground is woken as each dependent goes; this is only the safety net. */
const FOREGROUND_RECHECK_MS = 10_000;

const STORED_KINDS = new Set<string>([...Object.keys(KIND_API_VERSIONS), ...Object.keys(API_ONLY_KIND_API_VERSIONS)]);
const CLUSTER_SCOPED_KINDS = new Set<string>(["Datacenter", "Cluster", "Host", "Datastore", "Network", "Namespace", "VirtualMachineClass", "VirtualMachineImage", "Node", "CustomResourceDefinition"]);

type Deleter = (input: { namespace: string; name: string; propagationPolicy: PropagationPolicy }) => Promise<unknown>;
/** The engine's delete operation for each kind a client can give owners to. */
const DELETERS: Partial<Record<string, Deleter>> = {
  VirtualMachine: (input) => deleteVirtualMachine(GARBAGE_COLLECTOR, input),
  Pod: (input) => deletePod(GARBAGE_COLLECTOR, input),
  Deployment: (input) => deleteWorkload(GARBAGE_COLLECTOR, { ...input, kind: "Deployment" }),
  ReplicaSet: (input) => deleteWorkload(GARBAGE_COLLECTOR, { ...input, kind: "ReplicaSet" }),
  ConfigMap: (input) => deleteConfigObject(GARBAGE_COLLECTOR, { ...input, kind: "ConfigMap" }),
  Secret: (input) => deleteConfigObject(GARBAGE_COLLECTOR, { ...input, kind: "Secret" }),
};

const customDeleter = (kind: CustomResourceKind): Deleter => (input) => deleteCustomResource(GARBAGE_COLLECTOR, { ...input, kind });

/** The references the collector follows: a VM's reference to its namespace is the namespace controller's. */
const ownersOf = (object: StoredObject) => object.ownerReferences.filter((reference) => reference.kind !== "Namespace");

export async function reconcileGarbageCollector(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const uid = key.name;
  if (!isUid(uid)) return DONE;
  const object = await getObjectByUid(ctx.pool, uid);
  if (!object) return collectDependents(ctx, uid);
  if (!object.deletionTimestamp) {
    if (ownersOf(object).length > 0) await attemptToDelete(ctx, object);
    return DONE;
  }
  if (object.finalizers.includes(ORPHAN_FINALIZER)) return orphanDependents(ctx, object);
  if (object.finalizers.includes(FOREGROUND_FINALIZER)) return deleteDependentsFirst(ctx, object);
  return DONE;
}

/** Objects that refer to `uid`, live ones only when asked; at most one pass's worth. */
async function dependentsOf(db: Db, uid: string, { live = false, blocking = false } = {}): Promise<StoredObject[]> {
  const { rows } = await db.query<ResourceRow>(
    `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE owner_references @> $1::jsonb${live ? " AND deletion_timestamp IS NULL" : ""} ORDER BY uid LIMIT $2`,
    [referencesTo(uid, blocking ? { blockOwnerDeletion: true } : {}), DEPENDENTS_PER_PASS],
  );
  return rows.map((row) => storedObjectFromRow(row));
}

type OwnerState = "solid" | "absent" | "waiting";

/** Whether the owner a reference names is there (solid), gone or another object now (absent), or being deleted in the foreground (waiting). */
async function ownerState(db: Db, dependent: StoredObject, reference: OwnerReference): Promise<OwnerState> {
  const owner = STORED_KINDS.has(reference.kind) ? await storedOwner(db, dependent, reference) : await customOwner(db, reference);
  if (owner === "unresolvable") return "solid";
  if (!owner) return "absent";
  return owner.deletionTimestamp && owner.finalizers.includes(FOREGROUND_FINALIZER) ? "waiting" : "solid";
}

/**
 * The built-in object a reference names, by its kind and name where the dependent can have it. A
 * namespaced owner of a cluster-scoped object cannot be resolved: kube's collector leaves such a
 * dependent alone, and so does this one.
 */
async function storedOwner(db: Db, dependent: StoredObject, reference: OwnerReference): Promise<StoredObject | null | "unresolvable"> {
  const namespace = CLUSTER_SCOPED_KINDS.has(reference.kind) ? "" : dependent.namespace;
  if (namespace !== "" && dependent.namespace === "") return "unresolvable";
  const owner = await getObject(db, { kind: reference.kind as ObjectKey["kind"], namespace, name: reference.name });
  return owner && owner.uid === reference.uid ? owner : null;
}

/**
 * The custom resource a reference names (`Widget` in `example.com/v1`, stored as `Widget.example.com`),
 * by its uid: admission put it where the dependent can have it. A kind in no group is none Skylight stores.
 */
async function customOwner(db: Db, reference: OwnerReference): Promise<StoredObject | null | "unresolvable"> {
  const group = reference.apiVersion.includes("/") ? reference.apiVersion.slice(0, reference.apiVersion.indexOf("/")) : "";
  if (!group) return "unresolvable";
  const owner = await getObjectByUid(db, reference.uid);
  return owner && owner.kind === `${reference.kind}.${group}` && owner.name === reference.name ? owner : null;
}

/**
 * kube's attemptToDeleteItem: with a live owner left, the references to absent and waiting owners
 * go; with none, the dependent is deleted, in the foreground when an owner waits for it.
 * `goneUid`: an owner uid just found in no object, whatever kind the reference names.
 */
async function attemptToDelete(ctx: ReconcileContext, dependent: StoredObject, goneUid?: string): Promise<void> {
  if (dependent.deletionTimestamp) return;
  const states: { uid: string; state: OwnerState }[] = [];
  for (const reference of ownersOf(dependent)) {
    states.push({ uid: reference.uid, state: reference.uid === goneUid ? "absent" : await ownerState(ctx.pool, dependent, reference) });
  }
  if (states.some(({ state }) => state === "solid")) {
    const gone = states.filter(({ state }) => state !== "solid").map(({ uid }) => uid);
    if (gone.length > 0) await removeReferences(ctx, dependent, gone);
    return;
  }
  const remove = DELETERS[dependent.kind] ?? (isCustomResourceKind(dependent.kind) ? customDeleter(dependent.kind) : undefined);
  if (!remove) return;
  const propagationPolicy = states.some(({ state }) => state === "waiting") ? "Foreground" : "Background";
  await remove({ namespace: dependent.namespace, name: dependent.name, propagationPolicy }).catch(ignoreGone);
}

/** The dependent without its references to `uids`; its controller looks again, and each owner named. */
async function removeReferences(ctx: ReconcileContext, dependent: StoredObject, uids: string[]): Promise<void> {
  await withTransaction(ctx.pool, async (tx) => {
    const current = await getObject(tx, dependent, { forUpdate: true });
    if (!current || current.uid !== dependent.uid) return;
    const kept = current.ownerReferences.filter((reference) => !uids.includes(reference.uid));
    if (kept.length === current.ownerReferences.length) return;
    await writeMetadata(tx, current, { ownerReferences: kept });
    await enqueue(tx, [...controllerOwnerKeys(current), ...uids.map(collectorKey)]);
  });
}

/** An owner that is gone: each live dependent is looked at. */
async function collectDependents(ctx: ReconcileContext, uid: string): Promise<ReconcileResult> {
  const dependents = await dependentsOf(ctx.pool, uid, { live: true });
  for (const dependent of dependents) await attemptToDelete(ctx, dependent, uid);
  return dependents.length === DEPENDENTS_PER_PASS ? requeueAfter(0) : DONE;
}

/** Orphan: the dependents lose their references to the owner, then its `orphan` finalizer goes. */
async function orphanDependents(ctx: ReconcileContext, owner: StoredObject): Promise<ReconcileResult> {
  const dependents = await dependentsOf(ctx.pool, owner.uid);
  for (const dependent of dependents) await removeReferences(ctx, dependent, [owner.uid]);
  if (dependents.length === DEPENDENTS_PER_PASS) return requeueAfter(0);
  await releaseFinalizer(ctx, owner, ORPHAN_FINALIZER);
  return DONE;
}

/** Foreground: the dependents are deleted first; the owner goes once none that blocks its deletion is left. */
async function deleteDependentsFirst(ctx: ReconcileContext, owner: StoredObject): Promise<ReconcileResult> {
  const dependents = await dependentsOf(ctx.pool, owner.uid, { live: true });
  for (const dependent of dependents) await attemptToDelete(ctx, dependent);
  if (dependents.length === DEPENDENTS_PER_PASS) return requeueAfter(0);
  if ((await dependentsOf(ctx.pool, owner.uid, { blocking: true })).length > 0) return requeueAfter(FOREGROUND_RECHECK_MS);
  await releaseFinalizer(ctx, owner, FOREGROUND_FINALIZER);
  return DONE;
}

/** Lets go of the collector's finalizer; the owner goes with it when no other holds it. */
async function releaseFinalizer(ctx: ReconcileContext, owner: StoredObject, finalizer: string): Promise<void> {
  await withTransaction(ctx.pool, async (tx) => {
    const current = await getObjectByUid(tx, owner.uid, { forUpdate: true });
    if (!current?.finalizers.includes(finalizer)) return;
    const released = await writeMetadata(tx, current, { finalizers: current.finalizers.filter((held) => held !== finalizer) });
    if (released.finalizers.length > 0) return;
    await finishTasks(tx, (await openTasks(tx, owner.uid)).map((task) => task.id));
    await removeObject(tx, released);
  });
}
