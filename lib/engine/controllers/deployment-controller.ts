// The Deployment controller, as kube-controller-manager's: one ReplicaSet per pod template, named
// and labelled with the template's pod-template-hash and annotated with its revision
// (deployment.kubernetes.io/revision); a new template rolls out by scaling the new ReplicaSet up and
// the old ones down within maxSurge and maxUnavailable (RollingUpdate), or all old pods first
// (Recreate); a change of replicas scales the current one. Old ReplicaSets beyond
// revisionHistoryLimit are deleted. The status is what `kubectl rollout status` reads:
// observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas,
// unavailableReplicas, and the conditions Available, Progressing (ReplicaSetUpdated,
// NewReplicaSetAvailable, ProgressDeadlineExceeded) and ReplicaFailure copied
// from a ReplicaSet the namespace refused pods. Deleted, it deletes its ReplicaSets, then goes.
import { createHash } from "node:crypto";
import { withTransaction } from "@/lib/db/pool";
import { finishReachedTasks, finishTasks, openTasks } from "@/lib/engine/activity";
import { conditionOf } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { SAFE_ALPHANUMS, type ReplicaSetStatus } from "@/lib/engine/controllers/replicaset-controller";
import { getObject, removeObject, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { createWorkload, deleteWorkload, scaleWorkload } from "@/lib/engine/operations/workload-operations";
import { controllerReference, listControlledBy } from "@/lib/engine/owner-references";
import { sameJson } from "@/lib/engine/same-json";
import { resolveFenceposts, type DeploymentSpec, type PodTemplate, type ReplicaSetSpec } from "@/lib/engine/workload-spec";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { DEPENDENTS_FINALIZER, ORPHAN_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

export const DEPLOYMENT_CONTROLLER = { id: "system:deployment-controller", username: "deployment-controller", role: "administrator" } as const;

export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";

/** A Deployment's condition: kube's carries lastUpdateTime beside lastTransitionTime. */
export interface DeploymentCondition {
  type: "Available" | "Progressing" | "ReplicaFailure";
  status: "True" | "False";
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface DeploymentStatus extends Omit<ReplicaSetStatus, "fullyLabeledReplicas" | "conditions"> {
  updatedReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
}

type Deployment = StoredObject<DeploymentSpec, DeploymentStatus>;
type ReplicaSet = StoredObject<ReplicaSetSpec, ReplicaSetStatus>;

/** While a rollout is under way, look again this often even if no ReplicaSet wakes the controller. */
const ROLLING_RECHECK_MS = 2_000;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, canonical(item)]));
}

/** The template's pod-template-hash: a 32-bit hash of it, spelled as kube's SafeEncodeString spells one. */
export function podTemplateHash(template: PodTemplate): string {
  const digest = createHash("sha256").update(JSON.stringify(canonical(template))).digest().readUInt32BE(0);
  return [...String(digest)].map((digit) => SAFE_ALPHANUMS[digit.charCodeAt(0) % SAFE_ALPHANUMS.length]).join("");
}

const revisionOf = (replicaSet: ReplicaSet) => Number(replicaSet.annotations[REVISION_ANNOTATION] ?? 0) || 0;
const replicasOf = (replicaSets: ReplicaSet[]) => replicaSets.reduce((sum, replicaSet) => sum + replicaSet.spec.replicas, 0);
const sumStatus = (replicaSets: ReplicaSet[], field: "replicas" | "readyReplicas" | "availableReplicas") => replicaSets.reduce((sum, replicaSet) => sum + (replicaSet.status[field] ?? 0), 0);

/** The template a ReplicaSet was made from, without the hash label the controller added. */
function templateWithoutHash(replicaSet: ReplicaSet): PodTemplate {
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...labels } = replicaSet.spec.template.metadata.labels;
  return { ...replicaSet.spec.template, metadata: { ...replicaSet.spec.template.metadata, labels } };
}

export async function reconcileDeployment(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const deployment = await getObject<DeploymentSpec, DeploymentStatus>(ctx.pool, key);
  if (!deployment) return DONE;
  const owned = await listControlledBy<ReplicaSetSpec, ReplicaSetStatus>(ctx.pool, "ReplicaSet", deployment);
  if (deployment.deletionTimestamp) return release(ctx, deployment, owned);

  const live = owned.filter((replicaSet) => !replicaSet.deletionTimestamp);
  const newReplicaSet = live.find((replicaSet) => sameJson(templateWithoutHash(replicaSet), deployment.spec.template));
  const old = live.filter((replicaSet) => replicaSet !== newReplicaSet).sort((a, b) => revisionOf(a) - revisionOf(b));
  if (!newReplicaSet) {
    if (!deployment.spec.paused) await createReplicaSet(deployment, old);
    return requeueAfter(0);
  }
  // A template rolled back to (kubectl rollout undo) becomes the newest revision again, as in kube.
  const newest = Math.max(0, ...old.map(revisionOf));
  if (revisionOf(newReplicaSet) <= newest) {
    await writeMetadata(ctx.pool, newReplicaSet, { annotations: { ...newReplicaSet.annotations, [REVISION_ANNOTATION]: String(newest + 1) } });
    return requeueAfter(0);
  }
  // The Deployment names its current revision, as kube's does (kubectl rollout undo patches that annotation).
  if (deployment.annotations[REVISION_ANNOTATION] !== String(revisionOf(newReplicaSet))) {
    await writeMetadata(ctx.pool, deployment, { annotations: { ...deployment.annotations, [REVISION_ANNOTATION]: String(revisionOf(newReplicaSet)) } });
    return requeueAfter(0);
  }
  const acted = deployment.spec.paused ? false : await rollOut(deployment, newReplicaSet, old);
  if (acted) return requeueAfter(0);
  await cleanUpHistory(deployment, old);

  const now = ctx.now();
  const status = statusOf(deployment, newReplicaSet, live, now);
  const complete = conditionOf(status.conditions, "Progressing")?.reason === "NewReplicaSetAvailable";
  const failure = conditionOf(status.conditions, "ReplicaFailure")?.message ?? (conditionOf(status.conditions, "Progressing")?.reason === "ProgressDeadlineExceeded" ? `deployment "${deployment.name}" exceeded its progress deadline` : undefined);
  await withTransaction(ctx.pool, async (tx) => {
    if (!sameJson(status, deployment.status)) await writeStatus(tx, deployment, status);
    if (complete) await finishReachedTasks(tx, deployment.uid, deployment.generation);
    else if (failure) await finishTasks(tx, (await openTasks(tx, deployment.uid)).map((task) => task.id), { error: failure });
  });
  if (complete || failure) return DONE;
  return requeueAfter(ROLLING_RECHECK_MS);
}

/** The new ReplicaSet of the current template, with as many replicas as the strategy allows at once. */
async function createReplicaSet(deployment: Deployment, old: ReplicaSet[]) {
  const hash = podTemplateHash(deployment.spec.template);
  const { template, selector } = deployment.spec;
  const oldPods = replicasOf(old) + sumStatus(old, "replicas");
  let replicas = deployment.spec.replicas;
  if (deployment.spec.strategy.type === "Recreate") replicas = oldPods === 0 ? replicas : 0;
  else if (old.length > 0) replicas = Math.min(replicas, Math.max(0, replicas + resolveFenceposts(deployment.spec.strategy, replicas).maxSurge - replicasOf(old)));
  const revision = Math.max(0, ...old.map(revisionOf)) + 1;
  const cause = deployment.annotations[CHANGE_CAUSE_ANNOTATION];
  try {
    await createWorkload(DEPLOYMENT_CONTROLLER, {
      kind: "ReplicaSet",
      namespace: deployment.namespace,
      name: `${deployment.name}-${hash}`,
      labels: { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash },
      annotations: {
        [REVISION_ANNOTATION]: String(revision),
        "deployment.kubernetes.io/desired-replicas": String(deployment.spec.replicas),
        "deployment.kubernetes.io/max-replicas": String(deployment.spec.replicas + resolveFenceposts(deployment.spec.strategy, deployment.spec.replicas).maxSurge),
        ...(cause ? { [CHANGE_CAUSE_ANNOTATION]: cause } : {}),
      },
      ownerReferences: [controllerReference(deployment)],
      spec: {
        replicas,
        minReadySeconds: deployment.spec.minReadySeconds,
        selector: { ...selector, matchLabels: { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash } } },
      },
    });
  } catch (error) {
    // Another pass created it meanwhile: the next pass finds it.
    if (!(error instanceof InvalidInputError && error.field === "metadata.name")) throw error;
  }
}

async function scale(replicaSet: ReplicaSet, replicas: number): Promise<boolean> {
  if (replicaSet.spec.replicas === replicas) return false;
  await scaleWorkload(DEPLOYMENT_CONTROLLER, { kind: "ReplicaSet", namespace: replicaSet.namespace, name: replicaSet.name, replicas, expectedResourceVersion: replicaSet.resourceVersion });
  return true;
}

/** One step of the rollout; true when it scaled something (the next pass reads the result). */
async function rollOut(deployment: Deployment, newReplicaSet: ReplicaSet, old: ReplicaSet[]): Promise<boolean> {
  const desired = deployment.spec.replicas;
  const active = old.filter((replicaSet) => replicaSet.spec.replicas > 0);
  if (deployment.spec.strategy.type === "Recreate") {
    if (active.length > 0) {
      for (const replicaSet of active) await scale(replicaSet, 0);
      return true;
    }
    if (sumStatus(old, "replicas") > 0) return false;
    return scale(newReplicaSet, desired);
  }
  if (active.length === 0) return scale(newReplicaSet, desired);
  const { maxSurge, maxUnavailable } = resolveFenceposts(deployment.spec.strategy, desired);
  const all = [newReplicaSet, ...active];
  // Up: the new ReplicaSet grows while all pods together stay within replicas + maxSurge.
  if (newReplicaSet.spec.replicas < desired) {
    const room = desired + maxSurge - replicasOf(all);
    if (room > 0 && (await scale(newReplicaSet, Math.min(desired, newReplicaSet.spec.replicas + room)))) return true;
  } else if (newReplicaSet.spec.replicas > desired && (await scale(newReplicaSet, desired))) return true;
  // Down: old pods go while at least replicas - maxUnavailable stay available; unavailable old pods go first.
  const minAvailable = desired - maxUnavailable;
  const newUnavailable = newReplicaSet.spec.replicas - (newReplicaSet.status.availableReplicas ?? 0);
  let budget = replicasOf(all) - minAvailable - newUnavailable;
  let scaled = false;
  for (const replicaSet of active) {
    if (budget <= 0) break;
    const unhealthy = Math.min(budget, replicaSet.spec.replicas - (replicaSet.status.availableReplicas ?? 0));
    if (unhealthy > 0) {
      scaled = (await scale(replicaSet, replicaSet.spec.replicas - unhealthy)) || scaled;
      replicaSet.spec.replicas -= unhealthy;
      budget -= unhealthy;
    }
  }
  let available = sumStatus(all, "availableReplicas") - minAvailable;
  for (const replicaSet of active) {
    if (available <= 0) break;
    const down = Math.min(available, replicaSet.spec.replicas);
    if (down > 0) {
      scaled = (await scale(replicaSet, replicaSet.spec.replicas - down)) || scaled;
      available -= down;
    }
  }
  return scaled;
}

/** Old ReplicaSets scaled to nothing beyond revisionHistoryLimit go, oldest first. */
async function cleanUpHistory(deployment: Deployment, old: ReplicaSet[]) {
  const idle = old.filter((replicaSet) => replicaSet.spec.replicas === 0 && (replicaSet.status.replicas ?? 0) === 0);
  for (const replicaSet of idle.slice(0, Math.max(0, idle.length - deployment.spec.revisionHistoryLimit))) {
    await deleteWorkload(DEPLOYMENT_CONTROLLER, { kind: "ReplicaSet", namespace: replicaSet.namespace, name: replicaSet.name }).catch(ignoreGone);
  }
}

/** For a delete of something already gone or being deleted. */
export function ignoreGone(error: unknown) {
  if (!(error instanceof InvalidInputError) && !(error instanceof NotFoundError)) throw error;
}

function condition(previous: DeploymentStatus, type: DeploymentCondition["type"], status: DeploymentCondition["status"], reason: string, message: string, now: Date, progressed = false): DeploymentCondition {
  const before = previous.conditions?.find((item) => item.type === type);
  const at = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const same = before && before.status === status && before.reason === reason && before.message === message;
  return {
    type,
    status,
    reason,
    message,
    lastUpdateTime: same && !progressed ? before.lastUpdateTime : at,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : at,
  };
}

/** The status kubectl rollout status reads, computed from the ReplicaSets' as kube's controller does. */
function statusOf(deployment: Deployment, newReplicaSet: ReplicaSet, replicaSets: ReplicaSet[], now: Date): DeploymentStatus {
  const previous = deployment.status;
  const desired = deployment.spec.replicas;
  const counts = {
    replicas: sumStatus(replicaSets, "replicas"),
    updatedReplicas: newReplicaSet.status.replicas ?? 0,
    readyReplicas: sumStatus(replicaSets, "readyReplicas"),
    availableReplicas: sumStatus(replicaSets, "availableReplicas"),
  };
  const unavailableReplicas = Math.max(0, replicasOf(replicaSets) - counts.availableReplicas);
  const { maxUnavailable } = resolveFenceposts(deployment.spec.strategy, desired);
  const available =
    counts.availableReplicas >= desired - maxUnavailable
      ? condition(previous, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
      : condition(previous, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
  const complete = counts.updatedReplicas === desired && counts.replicas === desired && counts.availableReplicas === desired && newReplicaSet.spec.replicas === desired;
  const progressed = ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas"].some((field) => previous[field as keyof typeof counts] !== counts[field as keyof typeof counts]);
  const before = previous.conditions?.find((item) => item.type === "Progressing");
  let progressing: DeploymentCondition;
  if (complete) progressing = condition(previous, "Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${newReplicaSet.name}" has successfully progressed.`, now);
  else if (!before || progressed || before.reason === "NewReplicaSetAvailable" || previous.observedGeneration !== deployment.generation) {
    progressing = condition(previous, "Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${newReplicaSet.name}" is progressing.`, now, true);
  } else if (before.status === "True" && now.getTime() - Date.parse(before.lastUpdateTime) > deployment.spec.progressDeadlineSeconds * 1000) {
    progressing = condition(previous, "Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${newReplicaSet.name}" has timed out progressing.`, now);
  } else progressing = before;
  const failed = replicaSets.map((replicaSet) => conditionOf(replicaSet.status.conditions, "ReplicaFailure")).find((found) => found?.status === "True");
  const conditions = [available, progressing, ...(failed ? [condition(previous, "ReplicaFailure", "True", failed.reason, failed.message, now)] : [])];
  return { observedGeneration: deployment.generation, ...counts, ...(unavailableReplicas > 0 ? { unavailableReplicas } : {}), conditions };
}

/** A deleted Deployment deletes its ReplicaSets (which delete their pods; with Orphan, none), then lets go of its finalizer. */
async function release(ctx: ReconcileContext, deployment: Deployment, owned: ReplicaSet[]): Promise<ReconcileResult> {
  const orphaning = deployment.finalizers.includes(ORPHAN_FINALIZER);
  for (const replicaSet of owned.filter((candidate) => !orphaning && !candidate.deletionTimestamp)) {
    await deleteWorkload(DEPLOYMENT_CONTROLLER, { kind: "ReplicaSet", namespace: replicaSet.namespace, name: replicaSet.name }).catch(ignoreGone);
  }
  await withTransaction(ctx.pool, async (tx) => {
    const current = await getObject(tx, deployment, { forUpdate: true });
    if (!current || current.uid !== deployment.uid) return;
    const released = await writeMetadata(tx, current, { finalizers: current.finalizers.filter((finalizer) => finalizer !== DEPENDENTS_FINALIZER) });
    await finishTasks(tx, (await openTasks(tx, deployment.uid)).map((task) => task.id));
    if (released.finalizers.length === 0) await removeObject(tx, released);
  });
  return DONE;
}
