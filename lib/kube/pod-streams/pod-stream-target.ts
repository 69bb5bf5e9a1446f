// Where a pod's streams come from, read afresh for each request: the pod (resources kind Pod), the
// container asked for (or its only one), and the host its spec.nodeName binds it to — a real host
// (a spherelet_hosts row) with its agent's endpoint as its Node published it, or a simulated one.
import type { Db } from "@/lib/db/pool";
import type { NodeStatus } from "@/lib/engine/operations/node-operations";
import { badRequest, KubeApiError, notFound } from "@/lib/kube/api-status";
import { SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";
import { endpointOf, type ConsoleEndpoint } from "@/lib/web-console/console-target";

export interface PodContainer {
  name: string;
  image: string;
}

export interface PodStreamTarget {
  uid: string;
  namespace: string;
  name: string;
  container: PodContainer;
  /** When the container last started, as its status says; null before it has. */
  startedAt: string | null;
  host: { name: string; simulated: true } | { name: string; simulated: false; tokenHash: string; endpoint: ConsoleEndpoint };
}

interface TargetRow {
  uid: string;
  spec: { nodeName?: string; containers?: PodContainer[] };
  status: { containerStatuses?: { name: string; state?: { running?: { startedAt?: string } } }[] } | null;
  token_hash: string | null;
  node_status: NodeStatus | null;
  certificate_hash: string | null;
}

const podRef = (name: string) => ({ group: "", plural: "pods", kind: "Pod", name });

/**
 * The pod's container and host, or the Status kube-apiserver answers when there is none to stream
 * from. `anyContainer`: the pod as a whole (port-forward), its first container standing for it.
 */
export async function readPodStreamTarget(db: Db, pod: { namespace: string; name: string }, containerName: string | null, { anyContainer = false } = {}): Promise<PodStreamTarget> {
  const { rows } = await db.query<TargetRow>(
    `SELECT p.uid::text, p.spec, p.status, h.token_hash, n.status AS node_status, n.annotations->>$3 AS certificate_hash
       FROM resources p
       LEFT JOIN spherelet_hosts h ON h.name = p.spec->>'nodeName'
       LEFT JOIN resources n ON n.kind = 'Node' AND n.namespace = '' AND n.name = p.spec->>'nodeName'
      WHERE p.kind = 'Pod' AND p.namespace = $1 AND p.name = $2`,
    [pod.namespace, pod.name, SERVING_CERTIFICATE_ANNOTATION],
  );
  const row = rows[0];
  if (!row) throw notFound(podRef(pod.name));
  const containers = row.spec.containers ?? [];
  let container: PodContainer | undefined;
  if (containerName !== null) {
    container = containers.find((candidate) => candidate.name === containerName);
    if (!container) throw badRequest(`container ${containerName} is not valid for pod ${pod.name}`);
  } else if (containers.length === 1 || anyContainer) container = containers[0];
  if (!container) throw badRequest(`a container name must be specified for pod ${pod.name}, choose one of: [${containers.map((candidate) => candidate.name).join(" ")}]`);
  const nodeName = row.spec.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.name} does not have a host assigned`);
  const startedAt = row.status?.containerStatuses?.find((status) => status.name === container.name)?.state?.running?.startedAt ?? null;
  const target = { uid: row.uid, ...pod, container, startedAt };
  if (row.token_hash === null) return { ...target, host: { name: nodeName, simulated: true } };
  const endpoint = endpointOf(row);
  if (!endpoint) throw new KubeApiError(503, "ServiceUnavailable", `the agent of host ${nodeName} has not published its endpoint yet: it has not connected since it was added`);
  return { ...target, host: { name: nodeName, simulated: false, tokenHash: row.token_hash, endpoint } };
}
