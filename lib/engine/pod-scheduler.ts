// Pod scheduling, as kube-scheduler decides it over Skylight's hosts: a pod goes to a host of its
// namespace's cluster that takes new work (connected, not in maintenance: placement's
// `schedulable`), whose Node's labels match the pod's nodeSelector, and that has room for the
// pod's requests beside its VMs' allocations and its other pods' requests, under the cluster's
// overcommit as VM placement counts it (lib/engine/placement.ts). Among those, the host with the
// most free memory. The cluster's allocation rows are locked while deciding, so two pods placed at
// once cannot both take the last room on a host. A pod that fits nowhere gets kube-scheduler's
// words: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector."
import type { Db } from "@/lib/db/pool";
import { podRequests, type PodRequests, type PodSpec } from "@/lib/engine/pod-spec";
import type { Overcommit } from "@/lib/engine/placement";

const MiB = 2 ** 20;

interface HostRoom {
  host: string;
  schedulable: boolean;
  labels: Record<string, string>;
  /** What is left, in millicores and bytes, under the cluster's overcommit. */
  freeCpuMillis: number;
  freeMemoryBytes: number;
}

export type SchedulingDecision = { host: string } | { host: null; message: string };

/** Each host's room, from its VMs' bookings and the requests of the pods bound to it that have not finished. */
async function readRoom(tx: Db, cluster: string, overcommit: Overcommit, except: string): Promise<HostRoom[]> {
  const { rows: hosts } = await tx.query<{ host: string; schedulable: boolean; cpu_cores: number; memory_mib: number; vcpus: number; memory_allocated_mib: number }>(
    `SELECT host, schedulable, cpu_cores, memory_mib, vcpus, memory_allocated_mib FROM host_allocations WHERE cluster = $1 ORDER BY host FOR UPDATE`,
    [cluster],
  );
  if (hosts.length === 0) return [];
  const names = hosts.map((host) => host.host);
  const { rows: nodes } = await tx.query<{ name: string; labels: Record<string, string> }>(`SELECT name, labels FROM resources WHERE kind = 'Node' AND namespace = '' AND name = ANY($1)`, [names]);
  const { rows: pods } = await tx.query<{ host: string; spec: PodSpec }>(
    `SELECT spec->>'nodeName' AS host, spec FROM resources
      WHERE kind = 'Pod' AND spec->>'nodeName' = ANY($1) AND uid::text <> $2 AND COALESCE(status->>'phase', '') NOT IN ('Succeeded', 'Failed')`,
    [names, except],
  );
  const used = new Map<string, PodRequests>();
  for (const pod of pods) {
    const requests = podRequests(pod.spec);
    const sum = used.get(pod.host) ?? { cpuMillis: 0, memoryBytes: 0 };
    used.set(pod.host, { cpuMillis: sum.cpuMillis + requests.cpuMillis, memoryBytes: sum.memoryBytes + requests.memoryBytes });
  }
  const labels = new Map(nodes.map((node) => [node.name, node.labels]));
  return hosts.map((host) => {
    const pods = used.get(host.host) ?? { cpuMillis: 0, memoryBytes: 0 };
    return {
      host: host.host,
      schedulable: host.schedulable,
      labels: { "kubernetes.io/hostname": host.host, ...labels.get(host.host) },
      freeCpuMillis: Math.floor((host.cpu_cores * overcommit.cpu - host.vcpus) * 1000) - pods.cpuMillis,
      freeMemoryBytes: Math.floor((host.memory_mib * overcommit.memory - host.memory_allocated_mib) * MiB) - pods.memoryBytes,
    };
  });
}

/** Why one host cannot take the pod, in kube-scheduler's words, or null when it can. */
function misfit(room: HostRoom, spec: Pick<PodSpec, "nodeSelector">, asked: PodRequests): string[] {
  if (!room.schedulable) return ["node(s) were unschedulable"];
  if (Object.entries(spec.nodeSelector ?? {}).some(([key, value]) => room.labels[key] !== value)) return ["node(s) didn't match Pod's node affinity/selector"];
  const reasons = [];
  if (asked.cpuMillis > room.freeCpuMillis) reasons.push("Insufficient cpu");
  if (asked.memoryBytes > room.freeMemoryBytes) reasons.push("Insufficient memory");
  return reasons;
}

/** kube-scheduler's FailedScheduling message: how many hosts, and why each kind of host was left out, counted and sorted. */
function unschedulableMessage(total: number, reasons: string[][]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons.flat()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const parts = [...counts].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${total} nodes are available${parts.length ? `: ${parts.join(", ")}` : ""}.`;
}

/**
 * Picks the host for a pod of `cluster`, with the cluster's allocation rows locked until `tx`
 * ends: the schedulable host that matches its nodeSelector and has room, with the most free memory.
 */
export async function choosePodHost(tx: Db, cluster: string, overcommit: Overcommit, pod: { uid: string; spec: PodSpec }): Promise<SchedulingDecision> {
  const rooms = await readRoom(tx, cluster, overcommit, pod.uid);
  const asked = podRequests(pod.spec);
  const reasons = rooms.map((room) => misfit(room, pod.spec, asked));
  const fitting = rooms.filter((_, index) => reasons[index]!.length === 0).sort((a, b) => b.freeMemoryBytes - a.freeMemoryBytes || a.host.localeCompare(b.host));
  if (fitting[0]) return { host: fitting[0].host };
  return { host: null, message: unschedulableMessage(rooms.length, reasons) };
}
