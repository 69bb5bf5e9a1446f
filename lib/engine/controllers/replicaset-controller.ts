// The ReplicaSet controller, as kube-controller-manager's: keeps spec.replicas pods of the
// template, named <replicaset>-<5 random>, labelled from the template and controlled by the
// ReplicaSet (ownerReferences), creating and deleting them through createPod and deletePod, so the
// namespace's limits and the scheduler apply. A pod the namespace refuses becomes the ReplicaSet's
// ReplicaFailure condition (reason FailedCreate, the quota's words) and a FailedCreate event, tried
// again after a pause instead of in a loop. Status: replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas (ready for minReadySeconds), observedGeneration. Deleted, it deletes its pods,
// then lets go of its finalizer. A change of status wakes the Deployment that owns it.
import { randomBytes } from "node:crypto";
import { withTransaction } from "@/lib/db/pool";
import { finishReachedTasks, finishTasks, openTasks, recordEvent } from "@/lib/engine/activity";
import { conditionOf, setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, removeObject, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { createPod, deletePod } from "@/lib/engine/operations/pod-operations";
import { controllerOwnerKeys, controllerReference, listControlledBy } from "@/lib/engine/owner-references";
import type { PodSpec } from "@/lib/engine/pod-spec";
import type { PodStatus } from "@/lib/engine/pod-status";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sameJson } from "@/lib/engine/same-json";
import { selectorMatches, type ReplicaSetSpec } from "@/lib/engine/workload-spec";
import { InvalidInputError, NotFoundError, QuotaExceededError } from "@/lib/errors";
import { DEPENDENTS_FINALIZER, ORPHAN_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

export const REPLICASET_CONTROLLER = { id: "system:replicaset-controller", username: "replicaset-controller", role: "administrator" } as const;

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

type ReplicaSet = StoredObject<ReplicaSetSpec, ReplicaSetStatus>;
type Pod = StoredObject<PodSpec, PodStatus>;

/** kube's slow start caps a pass's creates; Skylight caps them outright, so a large scale-up is spread over passes. */
const CREATES_PER_PASS = 50;
/** How long a ReplicaSet whose pod was refused waits before trying again. */
const FAILED_CREATE_RETRY_MS = 10_000;
/** While pods are on their way, look again this often even if nothing wakes the controller. */
const CONVERGING_RECHECK_MS = 2_000;

/** kube's rand.String: consonants and digits that spell no words. */
export const SAFE_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
const randomSuffix = (length: number) => [...randomBytes(length)].map((byte) => SAFE_ALPHANUMS[byte % SAFE_ALPHANUMS.length]).join("");

const isActive = (pod: Pod) => !pod.deletionTimestamp && pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed";
const readySince = (pod: Pod) => {
  const ready = conditionOf(pod.status.conditions, "Ready");
  return ready?.status === "True" ? Date.parse(ready.lastTransitionTime) : null;
};

/** Which pods go first when scaling down, as kube ranks them: unscheduled, pending, not ready, then the newest. */
function deletionOrder(a: Pod, b: Pod): number {
  const rank = (pod: Pod) => [pod.spec.nodeName ? 1 : 0, pod.status.phase === "Running" ? 1 : 0, readySince(pod) === null ? 0 : 1];
  const [left, right] = [rank(a), rank(b)];
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return left[index]! - right[index]!;
  return b.creationTimestamp.getTime() - a.creationTimestamp.getTime();
}

export async function reconcileReplicaSet(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const replicaSet = await getObject<ReplicaSetSpec, ReplicaSetStatus>(ctx.pool, key);
  if (!replicaSet) return DONE;
  const pods = await listControlledBy<PodSpec, PodStatus>(ctx.pool, "Pod", replicaSet);
  if (replicaSet.deletionTimestamp) return release(ctx, replicaSet, pods);

  const active = pods.filter(isActive);
  const missing = replicaSet.spec.replicas - active.length;
  let failure: string | null = null;
  if (missing > 0) failure = await createPods(replicaSet, Math.min(missing, CREATES_PER_PASS));
  else if (missing < 0) {
    for (const pod of [...active].sort(deletionOrder).slice(0, -missing)) await deleteQuietly(pod);
  }

  const now = ctx.now();
  const current = (await listControlledBy<PodSpec, PodStatus>(ctx.pool, "Pod", replicaSet)).filter(isActive);
  const status = statusOf(replicaSet, current, failure, now);
  const converged = current.length === replicaSet.spec.replicas && status.availableReplicas === replicaSet.spec.replicas;
  await withTransaction(ctx.pool, async (tx) => {
    if (!sameJson(status, replicaSet.status)) {
      await writeStatus(tx, replicaSet, status);
      await enqueue(tx, controllerOwnerKeys(replicaSet));
    }
    const failed = conditionOf(status.conditions, "ReplicaFailure");
    // kube emits an event per refused create; one when the refusals begin is what a person needs.
    if (failed && !conditionOf(replicaSet.status.conditions, "ReplicaFailure")) {
      await recordEvent(tx, { reason: "FailedCreate", message: failed.message, severity: "warning", object: { kind: "ReplicaSet", namespace: replicaSet.namespace, name: replicaSet.name, uid: replicaSet.uid } });
      await finishTasks(tx, (await openTasks(tx, replicaSet.uid)).map((task) => task.id), { error: failed.message });
    }
    if (converged) await finishReachedTasks(tx, replicaSet.uid, replicaSet.generation);
  });
  if (failure) return requeueAfter(FAILED_CREATE_RETRY_MS);
  if (converged) return nextAvailability(replicaSet, current, now);
  return requeueAfter(CONVERGING_RECHECK_MS);
}

/** Creates up to `count` pods of the template; the first refusal stops the pass and is returned in kube's words. */
async function createPods(replicaSet: ReplicaSet, count: number): Promise<string | null> {
  const { template } = replicaSet.spec;
  for (let created = 0; created < count; created++) {
    const name = `${replicaSet.name}-${randomSuffix(5)}`;
    try {
      await createPod(REPLICASET_CONTROLLER, {
        namespace: replicaSet.namespace,
        name,
        labels: template.metadata.labels,
        annotations: template.metadata.annotations ?? {},
        ownerReferences: [controllerReference(replicaSet)],
        spec: template.spec,
      });
    } catch (error) {
      if (error instanceof QuotaExceededError) return error.forbiddenMessage("pods", name);
      if (error instanceof InvalidInputError) return `pods "${name}" is invalid: ${error.field}: ${error.message}`;
      throw error;
    }
  }
  return null;
}

/** Deletes a pod through the engine; one already gone or being deleted is no error. */
async function deleteQuietly(pod: Pod) {
  try {
    await deletePod(REPLICASET_CONTROLLER, { namespace: pod.namespace, name: pod.name });
  } catch (error) {
    if (!(error instanceof InvalidInputError) && !(error instanceof NotFoundError)) throw error;
  }
}

function statusOf(replicaSet: ReplicaSet, pods: Pod[], failure: string | null, now: Date): ReplicaSetStatus {
  const minReadyMs = replicaSet.spec.minReadySeconds * 1000;
  const ready = pods.filter((pod) => readySince(pod) !== null);
  const conditions = failure
    ? setCondition(replicaSet.status.conditions, "ReplicaFailure", "True", "FailedCreate", failure, now)
    : (replicaSet.status.conditions ?? []).filter((condition) => condition.type !== "ReplicaFailure");
  return {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((pod) => selectorMatches({ matchLabels: replicaSet.spec.template.metadata.labels }, pod.labels)).length,
    readyReplicas: ready.length,
    availableReplicas: ready.filter((pod) => now.getTime() - readySince(pod)! >= minReadyMs).length,
    observedGeneration: replicaSet.generation,
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** With minReadySeconds, a pod ready but not yet available is looked at again when it becomes so. */
function nextAvailability(replicaSet: ReplicaSet, pods: Pod[], now: Date): ReconcileResult {
  const minReadyMs = replicaSet.spec.minReadySeconds * 1000;
  const waits = pods.map((pod) => readySince(pod)! + minReadyMs - now.getTime()).filter((wait) => wait > 0);
  return waits.length > 0 ? requeueAfter(Math.min(...waits)) : DONE;
}

/**
 * A deleted ReplicaSet deletes its pods (unless deleted with Orphan: the garbage collector frees
 * them instead), then lets go of its finalizer; it goes once none holds it.
 */
async function release(ctx: ReconcileContext, replicaSet: ReplicaSet, pods: Pod[]): Promise<ReconcileResult> {
  const orphaning = replicaSet.finalizers.includes(ORPHAN_FINALIZER);
  for (const pod of pods.filter((candidate) => !orphaning && !candidate.deletionTimestamp)) await deleteQuietly(pod);
  await withTransaction(ctx.pool, async (tx) => {
    const current = await getObject(tx, replicaSet, { forUpdate: true });
    if (!current || current.uid !== replicaSet.uid) return;
    const released = await writeMetadata(tx, current, { finalizers: current.finalizers.filter((finalizer) => finalizer !== DEPENDENTS_FINALIZER) });
    await finishTasks(tx, (await openTasks(tx, replicaSet.uid)).map((task) => task.id));
    if (released.finalizers.length === 0) await removeObject(tx, released);
    await enqueue(tx, controllerOwnerKeys(replicaSet));
  });
  return DONE;
}
