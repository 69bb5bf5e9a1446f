// The Namespace controller: usage of CPU, memory and storage by the namespace's VMs and pods
// against its limits (from desired state, as the engine enforces them), and deletion: a deleted
// namespace deletes each of its VMs, pods and custom resources (a task each, initiated by whoever
// deleted the namespace) and goes once the last is gone.
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { createTaskWithEvent, finishReachedTasks, finishTasks, openTasks } from "@/lib/engine/activity";
import { readNamespaceUsage, type NamespaceUsage } from "@/lib/engine/namespace-quota";
import { getObject, listObjects, markDeleted, objectKeyString, removeObject, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sweepCustomResources } from "@/lib/engine/operations/custom-resource-operations";
import type { NamespaceSpec } from "@/lib/engine/schemas";
import { sameJson } from "@/lib/engine/same-json";
import { withTransaction } from "@/lib/db/pool";
import { DELETED_BY_ANNOTATION, NAMESPACE_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

export interface NamespaceStatus {
  phase?: "Active" | "Terminating";
  usage?: NamespaceUsage;
  conditions?: Condition[];
  observedGeneration?: number;
}

/** How often a terminating namespace looks again, besides its VMs' removals waking it. */
const TERMINATING_RECHECK_MS = 5_000;

export async function reconcileNamespace(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const namespace = await getObject<NamespaceSpec, NamespaceStatus>(ctx.pool, key);
  if (!namespace) return DONE;
  const usage = await readNamespaceUsage(ctx.pool, namespace.name);
  const limits = namespace.spec.limits ?? {};
  const over = [
    limits.cpu !== undefined && usage.cpu > limits.cpu ? `CPU ${usage.cpu} of ${limits.cpu} vCPUs` : null,
    limits.memoryMiB !== undefined && usage.memoryMiB > limits.memoryMiB ? `memory ${usage.memoryMiB} of ${limits.memoryMiB} MiB` : null,
    limits.storageGiB !== undefined && usage.storageGiB > limits.storageGiB ? `storage ${usage.storageGiB} of ${limits.storageGiB} GiB` : null,
  ].filter(Boolean);
  const now = ctx.now();
  let conditions = setCondition(namespace.status.conditions, "Ready", "True", "Ready", "", now);
  conditions = setCondition(conditions, "WithinLimits", over.length ? "False" : "True", over.length ? "OverLimit" : "WithinLimits", over.length ? `Over the limit: ${over.join(", ")}.` : "", now);
  conditions = setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", now);
  const status: NamespaceStatus = {
    ...namespace.status,
    phase: namespace.deletionTimestamp ? "Terminating" : "Active",
    usage,
    conditions,
    observedGeneration: namespace.generation,
  };
  const current = sameJson(status, namespace.status) ? namespace : await writeStatus<NamespaceSpec, NamespaceStatus>(ctx.pool, namespace, status);
  if (current.deletionTimestamp) return terminate(ctx, current);
  await finishReachedTasks(ctx.pool, namespace.uid, namespace.generation);
  return DONE;
}

/** What a namespace's deletion deletes, and how its tasks and events name it. */
const CONTENTS = [
  { kind: "VirtualMachine", noun: "virtual machine" },
  // Workloads before pods, so a ReplicaSet is marked deleted before it could replace a pod.
  { kind: "Deployment", noun: "deployment" },
  { kind: "ReplicaSet", noun: "replica set" },
  { kind: "Pod", noun: "pod" },
] as const;

async function terminate(ctx: ReconcileContext, namespace: StoredObject<NamespaceSpec, NamespaceStatus>): Promise<ReconcileResult> {
  const initiator = namespace.annotations[DELETED_BY_ANNOTATION] ?? "Namespace controller";
  let remaining = 0;
  for (const { kind, noun } of CONTENTS) {
    const objects = await listObjects(ctx.pool, kind, "namespace = $2", [namespace.name]);
    remaining += objects.length;
    for (const object of objects.filter((candidate) => !candidate.deletionTimestamp)) {
      await withTransaction(ctx.pool, async (tx) => {
        const deleted = await markDeleted(tx, object);
        await createTaskWithEvent(
          tx,
          { operation: `${kind}.delete`, description: `Delete ${noun} ${object.name} (namespace ${namespace.name} is being deleted)`, target: deleted, targetGeneration: deleted.generation, initiator },
          { reason: `${kind}.delete`, message: `${initiator} deleted namespace ${namespace.name}, so its ${noun} ${object.name} is deleted`, actor: initiator, before: { spec: object.spec } },
        );
        await enqueue(tx, objectKeyString(deleted));
      });
    }
  }
  // Custom resources too, as their own deletes delete them (one a client's finalizer holds waits for its operator).
  remaining += await sweepCustomResources({ id: "system:namespace-controller", username: initiator, role: "administrator" }, ctx.pool, { namespace: namespace.name });
  if (remaining > 0) return requeueAfter(TERMINATING_RECHECK_MS);
  const released = await writeMetadata(ctx.pool, namespace, { finalizers: namespace.finalizers.filter((finalizer) => finalizer !== NAMESPACE_FINALIZER) });
  await finishTasks(ctx.pool, (await openTasks(ctx.pool, namespace.uid)).map((task) => task.id));
  if (released.finalizers.length === 0) await removeObject(ctx.pool, released);
  return DONE;
}
