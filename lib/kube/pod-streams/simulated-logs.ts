// What `kubectl logs` shows for a pod on a simulated host: the simulator runs no command, so its
// log says so in a few honest lines, shaped by the same options as a real host's log.
import { badRequest } from "@/lib/kube/api-status";
import type { PodStreamTarget } from "@/lib/kube/pod-streams/pod-stream-target";
import type { LogOptions } from "@/lib/spherelet/pod-stream-protocol";

export function simulatedLog(target: PodStreamTarget, options: LogOptions): string {
  const { container, host } = target;
  if (options.previous) throw badRequest(`previous terminated container "${container.name}" in pod "${target.name}" not found`);
  const time = target.startedAt ?? new Date().toISOString();
  const lines = [
    `simulated container ${container.name} started from ${container.image} on simulated host ${host.name}`,
    "the simulator runs no command, so nothing else was printed: run the pod on a real host to see its output",
  ]
    .filter(() => options.sinceMs === null || Date.parse(time) >= options.sinceMs)
    .map((text) => `${options.timestamps ? `${time} ` : ""}${text}\n`);
  const tail = options.tailLines === null ? lines : lines.slice(Math.max(0, lines.length - options.tailLines));
  const text = tail.join("");
  return options.limitBytes === null ? text : Buffer.from(text).subarray(0, options.limitBytes).toString();
}
