// A pod container's log for the console's Logs tab: which container (the only one, or the one
// named), the current run's or the previous one's, and the text its host has for it. A pod on a
// simulated host ran no command, so its log says so in the same words `kubectl logs` shows
// (lib/kube/pod-streams/simulated-logs.ts on the pod-streams branch). A pod on a real host streams
// from its agent through the pods/log route of the Kubernetes API, which the console reaches once
// that route's agent connection is merged: until then the tab says so.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { InvalidInputError, UserFacingError } from "@/lib/errors";

export interface PodLogRequest {
  container: string | null;
  previous: boolean;
}

interface PodRow {
  name: string;
  spec: { nodeName?: string; containers?: { name: string; image: string }[] };
  status: { containerStatuses?: { name: string; restartCount?: number }[] };
  real_host: boolean;
}

class NotServedYetError extends UserFacingError {
  override readonly status = 501;
}

/** The log's text, or a refusal naming the parameter and its rule. */
export async function readPodLog(podUid: string, request: PodLogRequest): Promise<string> {
  const { rows } = await getPool().query<PodRow>(
    `SELECT p.name, p.spec, p.status, EXISTS (SELECT 1 FROM spherelet_hosts h WHERE h.name = p.spec->>'nodeName') AS real_host
       FROM resources p WHERE p.uid = $1 AND p.kind = 'Pod'`,
    [podUid],
  );
  const pod = rows[0];
  if (!pod) throw new InvalidInputError("uid", "This object is not a pod: only pods have logs.");
  const containers = pod.spec.containers ?? [];
  const container = request.container === null ? (containers.length === 1 ? containers[0] : undefined) : containers.find((candidate) => candidate.name === request.container);
  if (!container) throw new InvalidInputError("container", `container must be one of pod ${pod.name}'s: [${containers.map((candidate) => candidate.name).join(" ")}]`);
  const nodeName = pod.spec.nodeName;
  if (!nodeName) throw new InvalidInputError("uid", `pod ${pod.name} does not have a host assigned yet, so it has no log`);
  const status = pod.status.containerStatuses?.find((candidate) => candidate.name === container.name);
  if (request.previous && !status?.restartCount) throw new InvalidInputError("previous", `previous terminated container "${container.name}" in pod "${pod.name}" not found`);
  if (pod.real_host) throw new NotServedYetError(`The log of a pod on real host ${nodeName} is read with kubectl logs ${pod.name} until the console streams it from the agent.`);
  return [
    `simulated container ${container.name} started from ${container.image} on simulated host ${nodeName}`,
    "the simulator runs no command, so nothing else was printed: run the pod on a real host to see its output",
  ]
    .map((text) => `${text}\n`)
    .join("");
}
