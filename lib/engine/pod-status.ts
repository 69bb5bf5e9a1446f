// A Pod's status in kube's PodStatus shape, computed by pure functions so every writer says the
// same: the scheduler's PodScheduled condition, and a running pod's phase, addresses, container
// statuses and conditions from what its host observed. A real host's report (lib/spherelet/
// pod-protocol.ts PodReport) and a simulated host's stand-in both go through podStatusFromReport.
import { setCondition, type Condition } from "@/lib/engine/conditions";
import type { PodSpec } from "@/lib/engine/pod-spec";
import type { PodReport } from "@/lib/spherelet/pod-protocol";

export interface PodStatus {
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions?: Condition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: PodReport["containers"];
  qosClass?: "Guaranteed" | "Burstable" | "BestEffort";
  reason?: string;
  message?: string;
}

/** kube's QoS class: BestEffort without any request or limit, Guaranteed when every container's requests equal its limits for CPU and memory. */
export function qosClassOf(spec: Pick<PodSpec, "containers">): NonNullable<PodStatus["qosClass"]> {
  const resources = spec.containers.map((container) => container.resources ?? {});
  if (resources.every((resource) => Object.keys(resource.requests ?? {}).length === 0 && Object.keys(resource.limits ?? {}).length === 0)) return "BestEffort";
  const guaranteed = resources.every((resource) =>
    (["cpu", "memory"] as const).every((name) => resource.limits?.[name] !== undefined && (resource.requests?.[name] ?? resource.limits[name]) === resource.limits[name]),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** kube's time format: seconds, no fraction. */
export const kubeTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The status of a pod just created: Pending, with its QoS class. */
export function pendingPodStatus(spec: Pick<PodSpec, "containers">): PodStatus {
  return { phase: "Pending", qosClass: qosClassOf(spec) };
}

/** The scheduler's verdict: PodScheduled True once bound, or False with Unschedulable and kube-scheduler's message. */
export function withScheduled(status: PodStatus, scheduled: { ok: true } | { ok: false; message: string }, now: Date): PodStatus {
  const conditions = scheduled.ok
    ? setCondition(status.conditions, "PodScheduled", "True", "", "", now)
    : setCondition(status.conditions, "PodScheduled", "False", "Unschedulable", scheduled.message, now);
  return { ...status, phase: status.phase ?? "Pending", conditions };
}

/**
 * The status a host's report gives the pod: phase, addresses, start time and container statuses
 * copied as reported, and the conditions kube derives from them (Initialized, Ready,
 * ContainersReady, PodScheduled; PodReadyToStartContainers once its sandbox, here its address, exists).
 */
export function podStatusFromReport(previous: PodStatus, report: Omit<PodReport, "stopped" | "usage">, host: { hostIP: string | null }, now: Date): PodStatus {
  const allReady = report.containers.length > 0 && report.containers.every((container) => container.ready);
  const notReady = report.containers.filter((container) => !container.ready).map((container) => container.name);
  const unready = { reason: "ContainersNotReady", message: `containers with unready status: [${notReady.join(" ")}]` };
  let conditions = setCondition(previous.conditions, "PodReadyToStartContainers", report.podIP ? "True" : "False", "", "", now);
  conditions = setCondition(conditions, "Initialized", "True", "", "", now);
  conditions = setCondition(conditions, "Ready", allReady ? "True" : "False", allReady ? "" : unready.reason, allReady ? "" : unready.message, now);
  conditions = setCondition(conditions, "ContainersReady", allReady ? "True" : "False", allReady ? "" : unready.reason, allReady ? "" : unready.message, now);
  conditions = setCondition(conditions, "PodScheduled", "True", "", "", now);
  const { reason: _reason, message: _message, ...rest } = previous;
  return {
    ...rest,
    phase: report.phase,
    conditions,
    ...(host.hostIP ? { hostIP: host.hostIP, hostIPs: [{ ip: host.hostIP }] } : {}),
    ...(report.podIP ? { podIP: report.podIP, podIPs: [{ ip: report.podIP }] } : {}),
    ...(report.startTime ? { startTime: report.startTime } : {}),
    containerStatuses: report.containers,
    ...(report.reason ? { reason: report.reason } : {}),
    ...(report.message ? { message: report.message } : {}),
  };
}
