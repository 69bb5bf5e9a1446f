// Skylight's side of the pod routes of lib/spherelet/pod-protocol.ts: a host's agent reads the
// Pods bound to its host (spec.nodeName) as HostPods, waiting for the next change, and reports
// each pod's PodReport, which becomes the Pod's status (an engine-owned write: no client of the
// Kubernetes API writes a real host's pod status) and its usage for metrics.k8s.io. A deleted pod
// the agent reports stopped loses its finalizer and goes. Only the pod's own host may report, and
// that is checked before the body is read.
import type { IncomingMessage } from "node:http";
import type pg from "pg";
import { withTransaction } from "@/lib/db/pool";
import { releasePod } from "@/lib/engine/controllers/pod-controller";
import { getObject, objectKeyString, storedObjectFromRow, writeStatus, RESOURCE_COLUMNS, type ResourceRow, type StoredObject } from "@/lib/engine/object-store";
import { parseQuantity, type PodContainer, type PodSpec } from "@/lib/engine/pod-spec";
import { podStatusFromReport, type PodStatus } from "@/lib/engine/pod-status";
import { recordPodUsage } from "@/lib/engine/pod-usage";
import { DELETION_GRACE_PERIOD_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import { controllerOwnerKeys } from "@/lib/engine/owner-references";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sameJson } from "@/lib/engine/same-json";
import { badRequest, forbidden, notFound } from "@/lib/kube/api-status";
import { hostUsername } from "@/lib/kube/host-agent-requests";
import { readObject } from "@/lib/kube/request-body";
import { holdLongPoll, longPollParameters, POLL_INTERVAL_MS } from "@/lib/spherelet/long-poll";
import { podReportSchema, type HostPod, type HostPodContainer, type PodList } from "@/lib/spherelet/pod-protocol";

type Pod = StoredObject<PodSpec, PodStatus>;

const ref = { group: "", plural: "pods", kind: "Pod" };

/**
 * Where the agent pulls a pod's image from in Skylight's registry. A reference naming a registry
 * host (a first part with "." or ":", or localhost) is Skylight's when that host is the one the
 * agent reached Skylight at, and is then dropped; any other registry is kept in the repository, and
 * the pull fails with the registry's "not found" (hosts have no internet here). A one-part name is
 * a repository of the pod's namespace; the tag is `latest` unless given.
 */
export function imagePull(image: string, namespace: string, skylightHost: string): HostPodContainer["pull"] {
  const at = image.indexOf("@");
  let name = at >= 0 ? image.slice(0, at) : image;
  let reference = at >= 0 ? image.slice(at + 1) : "latest";
  const colon = name.lastIndexOf(":");
  if (at < 0 && colon > name.lastIndexOf("/")) [name, reference] = [name.slice(0, colon), name.slice(colon + 1)];
  const parts = name.split("/");
  if (parts.length > 1 && (parts[0]!.includes(".") || parts[0]!.includes(":") || parts[0] === "localhost") && parts[0]!.toLowerCase() === skylightHost.toLowerCase()) parts.shift();
  return { repository: parts.length === 1 ? `${namespace}/${parts[0]}` : parts.join("/"), reference };
}

const cpuMillis = (quantity: string | undefined) => (quantity === undefined ? null : Math.round(parseQuantity(quantity)! * 1000));
const memoryBytes = (quantity: string | undefined) => (quantity === undefined ? null : Math.round(parseQuantity(quantity)!));

function hostContainer(container: PodContainer, namespace: string, skylightHost: string): HostPodContainer {
  return {
    name: container.name,
    image: container.image,
    pull: imagePull(container.image, namespace, skylightHost),
    command: container.command ?? null,
    args: container.args ?? null,
    env: (container.env ?? []).filter((entry) => entry.value !== undefined).map((entry) => ({ name: entry.name, value: entry.value! })),
    workingDir: container.workingDir ?? null,
    ports: (container.ports ?? []).filter((port) => port.protocol !== "SCTP").map((port) => ({ containerPort: port.containerPort, protocol: port.protocol as "TCP" | "UDP", ...(port.name && { name: port.name }) })),
    cpuMillis: cpuMillis(container.resources.limits?.cpu),
    memoryBytes: memoryBytes(container.resources.limits?.memory),
    volumeMounts: (container.volumeMounts ?? []).map((mount) => ({ name: mount.name, mountPath: mount.mountPath, readOnly: mount.readOnly ?? false })),
    stdin: container.stdin ?? false,
    tty: container.tty ?? false,
  };
}

/** A Pod as its host's agent runs it. */
export function hostPod(pod: Pod, skylightHost: string): HostPod {
  return {
    uid: pod.uid,
    namespace: pod.namespace,
    name: pod.name,
    runtimeClass: pod.spec.runtimeClassName === "crx" ? "crx" : "runc",
    restartPolicy: pod.spec.restartPolicy,
    containers: pod.spec.containers.map((container) => hostContainer(container, pod.namespace, skylightHost)),
    volumes: (pod.spec.volumes ?? []).map((volume) => ({
      name: volume.name,
      ...(volume.emptyDir && { emptyDir: { medium: volume.emptyDir.medium ?? "", sizeLimitBytes: volume.emptyDir.sizeLimit === undefined ? null : memoryBytes(volume.emptyDir.sizeLimit) } }),
    })),
    terminationGracePeriodSeconds: Math.min(pod.spec.terminationGracePeriodSeconds, Number(pod.annotations[DELETION_GRACE_PERIOD_ANNOTATION] ?? Number.POSITIVE_INFINITY)),
    deleted: pod.deletionTimestamp !== null,
  };
}

async function readPods(pool: pg.Pool, host: string): Promise<{ version: string; pods: Pod[] }> {
  const { rows } = await pool.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = 'Pod' AND spec->>'nodeName' = $1 ORDER BY uid`, [host]);
  const pods = rows.map((row) => storedObjectFromRow<PodSpec, PodStatus>(row));
  const version = pods.reduce((highest, pod) => (BigInt(pod.resourceVersion) > highest ? BigInt(pod.resourceVersion) : highest), 0n);
  return { version: String(version), pods };
}

const podListOf = (read: { version: string; pods: Pod[] }, skylightHost: string): PodList => ({ version: read.version, pods: read.pods.map((pod) => hostPod(pod, skylightHost)) });

/**
 * The host's pods once something the agent acts on changed after `after`, or when waitSeconds
 * pass. The agent's own status reports change the pods' resourceVersion too: a change that leaves
 * the list as it was keeps the poll waiting, so a report does not wake its own agent.
 */
export async function waitForPods(pool: pg.Pool, host: string, query: URLSearchParams, request: IncomingMessage): Promise<PodList> {
  const skylightHost = request.headers.host ?? "";
  const parameters = longPollParameters(query);
  let after = parameters.after;
  const first = await readPods(pool, host);
  if (after === null || parameters.waitSeconds === 0 || BigInt(first.version) !== BigInt(after)) return podListOf(first, skylightHost);
  return holdLongPoll(host, "pods", request, async (closed) => {
    const listed = JSON.stringify(podListOf(first, skylightHost).pods);
    const deadline = Date.now() + parameters.waitSeconds * 1000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      if (closed()) return { version: after!, pods: [] };
      const { rows } = await pool.query<{ changed: boolean }>(`SELECT EXISTS (SELECT 1 FROM resources WHERE kind = 'Pod' AND resource_version > $2::bigint AND spec->>'nodeName' = $1) AS changed`, [host, after]);
      // A pod removed from the table also changes the list; its absence shows at the deadline.
      if (rows[0]!.changed || Date.now() >= deadline) {
        const now = await readPods(pool, host);
        if (JSON.stringify(podListOf(now, skylightHost).pods) !== listed || Date.now() >= deadline) return podListOf(now, skylightHost);
        after = now.version;
      }
    }
  });
}

/**
 * The agent's report of one of its pods: refused before the body is read unless the pod is bound
 * to the reporting host. The report becomes the pod's status (written only when it changed) and
 * its usage the pod's metrics; `stopped` for a deleted pod lets it go.
 */
export async function reportPodStatus(pool: pg.Pool, host: string, uid: string, request: IncomingMessage): Promise<void> {
  const bound = await podOfHost(pool, host, uid);
  const report = podReportSchema.safeParse(await readObject(request));
  if (!report.success) throw badRequest(`invalid pod report: ${report.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  if (report.data.stopped) {
    if (bound.deletionTimestamp) await releasePod(pool, bound);
    return;
  }
  await withTransaction(pool, async (tx) => {
    const current = await getObject<PodSpec, PodStatus>(tx, bound, { forUpdate: true });
    if (!current || current.uid !== uid) throw notFound({ ...ref, name: bound.name });
    const { rows } = await tx.query<{ address: string | null }>(
      `SELECT (SELECT a->>'address' FROM jsonb_array_elements(status->'addresses') a WHERE a->>'type' = 'InternalIP' LIMIT 1) AS address FROM resources WHERE kind = 'Node' AND namespace = '' AND name = $1`,
      [host],
    );
    const status = podStatusFromReport(current.status, report.data, { hostIP: rows[0]?.address ?? null }, new Date());
    // Conditions carry the time of their last change, so compare without them being rewritten.
    if (!sameJson(status, current.status)) {
      await writeStatus(tx, current, status);
      // The pod's tasks finish, and its ReplicaSet counts it, when they see the new status.
      await enqueue(tx, [objectKeyString(current), ...controllerOwnerKeys(current)]);
    }
    if (report.data.usage) await recordPodUsage(tx, current, report.data.usage);
  });
}

/** The pod with this uid if it is bound to `host`: 404 when there is none, 403 when it is another host's. */
async function podOfHost(pool: pg.Pool, host: string, uid: string): Promise<Pod> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uid)) throw notFound({ ...ref, name: uid });
  const { rows } = await pool.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = 'Pod' AND uid = $1`, [uid]);
  if (!rows[0]) throw notFound({ ...ref, name: uid });
  const pod = storedObjectFromRow<PodSpec, PodStatus>(rows[0]);
  if (pod.spec.nodeName !== host) throw forbidden(hostUsername(host), "update", { ...ref, name: pod.name }, pod.namespace, "a host's agent reports only the pods bound to that host");
  return pod;
}
