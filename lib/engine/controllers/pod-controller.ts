// The Pod controller: binds each unbound pod to a host (lib/engine/pod-scheduler.ts), or records
// why none can take it (PodScheduled False, Unschedulable, and a FailedScheduling event when the
// reason changes, looking again every few seconds); runs a pod bound to a simulated host in the
// simulator's stead (Running at once, with an address from a simulated range and plausible usage);
// leaves a pod bound to a real host (a spherelet_hosts row) to its agent, whose reports the pod
// routes copy into the status. Deletion: a pod never bound, or on a simulated host, is removed at
// once; one on a real host keeps its finalizer until its agent reports it stopped (releasePod).
// Its create, update and delete tasks finish once the pod runs or is gone.
import { createHash } from "node:crypto";
import type pg from "pg";
import { withTransaction, type Db } from "@/lib/db/pool";
import { finishReachedTasks, finishTasks, openTasks, recordEvent } from "@/lib/engine/activity";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, objectKeyString, removeObject, writeMetadata, writeSpec, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { controllerOwnerKeys } from "@/lib/engine/owner-references";
import { choosePodHost } from "@/lib/engine/pod-scheduler";
import { podRequests, type PodSpec } from "@/lib/engine/pod-spec";
import { kubeTime, podStatusFromReport, withScheduled, type PodStatus } from "@/lib/engine/pod-status";
import { recordPodUsage } from "@/lib/engine/pod-usage";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sameJson } from "@/lib/engine/same-json";
import type { ClusterSpec } from "@/lib/engine/schemas";
import { CLUSTER_LABEL, POD_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

type Pod = StoredObject<PodSpec, PodStatus>;

/** How often an unschedulable pod is tried again (kube-scheduler retries on cluster changes; this is its stand-in). */
const UNSCHEDULABLE_RETRY_MS = 5_000;

export async function reconcilePod(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const pod = await getObject<PodSpec, PodStatus>(ctx.pool, key);
  if (!pod) return DONE;
  const host = pod.spec.nodeName;
  if (pod.deletionTimestamp) {
    if (host && (await isRealHost(ctx.pool, host))) return DONE;
    await releasePod(ctx.pool, pod);
    return DONE;
  }
  if (!host) return schedule(ctx, pod);
  if (await isRealHost(ctx.pool, host)) {
    // Its agent's reports move it on; a pod its host has started finishes its tasks.
    if (pod.status.phase !== undefined && pod.status.phase !== "Pending") await finishReachedTasks(ctx.pool, pod.uid, pod.generation);
    return DONE;
  }
  return runSimulated(ctx, pod, host);
}

async function isRealHost(db: Db, host: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM spherelet_hosts WHERE name = $1`, [host]);
  return (rowCount ?? 0) > 0;
}

async function schedule(ctx: ReconcileContext, pod: Pod): Promise<ReconcileResult> {
  const now = ctx.now();
  const cluster = pod.labels[CLUSTER_LABEL] ?? "";
  const clusterObject = await ctx.cached<StoredObject<ClusterSpec>>({ kind: "Cluster", namespace: "", name: cluster });
  const overcommit = clusterObject?.spec.overcommit ?? { cpu: 4, memory: 1.25 };
  const outcome = await withTransaction(ctx.pool, async (tx) => {
    const decision = await choosePodHost(tx, cluster, overcommit, pod);
    const current = await getObject<PodSpec, PodStatus>(tx, { kind: "Pod", namespace: pod.namespace, name: pod.name }, { forUpdate: true });
    if (!current || current.deletionTimestamp || current.spec.nodeName || current.resourceVersion !== pod.resourceVersion) return "changed" as const;
    if (decision.host === null) {
      const status = withScheduled(current.status, { ok: false, message: decision.message }, now);
      if (sameJson(status, current.status)) return "unschedulable" as const;
      await writeStatus(tx, current, status);
      await recordEvent(tx, { reason: "FailedScheduling", message: decision.message, severity: "warning", object: { kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid } });
      return "unschedulable" as const;
    }
    // Bound in the same transaction as the host's room was read, so no other pod takes it meanwhile.
    const bound = await writeSpec<PodSpec, PodStatus>(tx, current, { ...current.spec, nodeName: decision.host });
    await writeStatus(tx, bound, withScheduled(bound.status, { ok: true }, now));
    await recordEvent(tx, { reason: "Scheduled", message: `Successfully assigned ${pod.namespace}/${pod.name} to ${decision.host}`, object: { kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid } });
    await enqueue(tx, objectKeyString(bound));
    return "bound" as const;
  });
  return outcome === "unschedulable" ? requeueAfter(UNSCHEDULABLE_RETRY_MS) : DONE;
}

/** A number from the pod's uid, so a simulated pod keeps its address and figures across passes and processes. */
function seeded(uid: string, salt: string): number {
  return createHash("sha256").update(`${salt}:${uid}`).digest().readUInt32BE(0);
}

async function hostAddress(db: Db, host: string): Promise<string | null> {
  const { rows } = await db.query<{ address: string | null }>(
    `SELECT (SELECT a->>'address' FROM jsonb_array_elements(status->'addresses') a WHERE a->>'type' = 'InternalIP' LIMIT 1) AS address
       FROM resources WHERE kind = 'Node' AND namespace = '' AND name = $1`,
    [host],
  );
  return rows[0]?.address ?? null;
}

/** What a simulated host would report of a pod: every container running since the pod was bound, the pod on 10.244.0.0/16. */
async function runSimulated(ctx: ReconcileContext, pod: Pod, host: string): Promise<ReconcileResult> {
  if (pod.status.phase === "Pending" || pod.status.containerStatuses === undefined || pod.status.hostIP === undefined) {
    const startedAt = kubeTime(ctx.now());
    const value = seeded(pod.uid, "ip");
    const report = {
      phase: "Running" as const,
      podIP: `10.244.${(value >>> 8) % 256}.${1 + (value % 254)}`,
      startTime: pod.status.startTime ?? startedAt,
      containers: pod.spec.containers.map((container) => ({
        name: container.name,
        state: { running: { startedAt } },
        lastState: {},
        ready: true,
        started: true,
        restartCount: 0,
        image: container.image,
        imageID: `skylight-simulator/${container.image}`,
        containerID: `simulated://${createHash("sha256").update(`${pod.uid}/${container.name}`).digest("hex").slice(0, 32)}`,
      })),
    };
    const status = podStatusFromReport(pod.status, report, { hostIP: await hostAddress(ctx.pool, host) }, ctx.now());
    await withTransaction(ctx.pool, async (tx) => {
      await writeStatus(tx, pod, status);
      await recordSimulatedUsage(tx, pod);
      await enqueue(tx, controllerOwnerKeys(pod));
    });
  } else if (pod.status.containerStatuses.some((status, index) => status.image !== pod.spec.containers[index]?.image)) {
    // An update of an image: the simulated container is restarted with it at once.
    const containerStatuses = pod.status.containerStatuses.map((status, index) => {
      const image = pod.spec.containers[index]?.image ?? status.image;
      return image === status.image ? status : { ...status, image, imageID: `skylight-simulator/${image}`, restartCount: status.restartCount + 1, state: { running: { startedAt: kubeTime(ctx.now()) } } };
    });
    await writeStatus(ctx.pool, pod, { ...pod.status, containerStatuses });
  }
  await finishReachedTasks(ctx.pool, pod.uid, pod.generation);
  return DONE;
}

/** Plausible figures for a simulated pod: a share of its requests (or a small busybox's worth). */
async function recordSimulatedUsage(tx: Db, pod: Pod) {
  const requests = podRequests(pod.spec);
  const share = 0.05 + (seeded(pod.uid, "load") % 30) / 100;
  const cpuNanoCores = Math.round((requests.cpuMillis || 10) * share * 1e6);
  const memoryBytes = Math.round((requests.memoryBytes || 4 * 2 ** 20) * (0.3 + share));
  await recordPodUsage(tx, pod, { cpuNanoCores, memoryBytes });
}

/**
 * Lets a deleted pod go: its usage figures and its finalizer, then the object once no other
 * finalizer holds it; its tasks finish and its namespace recounts. For a pod on a real host, the
 * pod routes call this once the agent reports the pod stopped.
 */
export async function releasePod(pool: pg.Pool, pod: StoredObject): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const current = await getObject(tx, { kind: "Pod", namespace: pod.namespace, name: pod.name }, { forUpdate: true });
    if (!current || current.uid !== pod.uid || !current.deletionTimestamp) return;
    await tx.query(`DELETE FROM pod_metrics WHERE pod_uid = $1`, [pod.uid]);
    const released = await writeMetadata(tx, current, { finalizers: current.finalizers.filter((finalizer) => finalizer !== POD_FINALIZER) });
    await finishTasks(tx, (await openTasks(tx, pod.uid)).map((task) => task.id));
    if (released.finalizers.length === 0) await removeObject(tx, released);
    await enqueue(tx, [`Namespace//${pod.namespace}`, ...controllerOwnerKeys(current)]);
  });
}
