// DRS's balancing pass for one cluster: when the spread of host load (booked memory over host
// memory) exceeds what the migration threshold tolerates, recommend moving VMs from the most to
// the least loaded hosts. Fully automated clusters apply the recommendations as migrations;
// manual and partially automated ones keep them for an operator to apply.
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { listObjects, type StoredObject } from "@/lib/engine/object-store";
import { migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { REQUESTED_HOST_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import type { ClusterSpec, VirtualMachineSpec } from "@/lib/engine/schemas";

export interface DrsRecommendation {
  vm: { namespace: string; name: string };
  from: string;
  to: string;
  reason: string;
}

/**
 * A recommendation stays current while its VM is still running on the source host, is not
 * already moving, and nobody has asked for it to go to the recommended host.
 */
export function isRecommendationCurrent(
  recommendation: DrsRecommendation,
  vm: Pick<StoredObject<unknown, VirtualMachineStatus>, "annotations" | "status" | "deletionTimestamp"> | null,
): boolean {
  return (
    vm !== null &&
    !vm.deletionTimestamp &&
    vm.status.host === recommendation.from &&
    vm.status.powerState === "PoweredOn" &&
    !vm.status.migration &&
    vm.annotations[REQUESTED_HOST_ANNOTATION] !== recommendation.to
  );
}

/** Standard deviation of host load each threshold tolerates; level 1 makes only mandatory moves. */
const TOLERATED_DEVIATION = [Number.POSITIVE_INFINITY, 0.2, 0.15, 0.1, 0.05];
const MAX_MOVES_PER_PASS = 5;
export const DRS_ACTOR = { id: "system:drs", username: "vSphere DRS", role: "administrator" } as const;

export function loadDeviation(loads: number[]): number {
  if (loads.length === 0) return 0;
  const mean = loads.reduce((sum, load) => sum + load, 0) / loads.length;
  return Math.sqrt(loads.reduce((sum, load) => sum + (load - mean) ** 2, 0) / loads.length);
}

export async function balanceCluster(ctx: ReconcileContext, cluster: StoredObject<ClusterSpec>): Promise<DrsRecommendation[]> {
  const { rows: hosts } = await ctx.pool.query<{ host: string; memory: number; used: number; vcpus: number; cores: number }>(
    `SELECT host, memory_mib AS memory, memory_allocated_mib AS used, vcpus, cpu_cores AS cores
       FROM host_allocations WHERE cluster = $1 AND schedulable ORDER BY host`,
    [cluster.name],
  );
  if (hosts.length < 2) return [];
  // A cluster holds one kind of host: if one cannot move running VMs, no move can be made.
  if ((await ctx.provider.findHost(hosts[0]!.host))?.liveMigration === false) return [];
  const tolerance = TOLERATED_DEVIATION[cluster.spec.drs.migrationThreshold - 1] ?? 0.1;
  // A balanced cluster, the usual case, needs no look at its VMs: loading them is most of a pass.
  if (loadDeviation(hosts.map((host) => host.used / host.memory)) <= tolerance) return [];
  const vms = await listObjects<VirtualMachineSpec, VirtualMachineStatus>(
    ctx.pool,
    "VirtualMachine",
    `labels->>'skylight.io/cluster' = $2 AND status->>'powerState' = 'PoweredOn' AND status->'migration' IS NULL`,
    [cluster.name],
  );
  const used = new Map(hosts.map((host) => [host.host, host.used]));
  const load = (host: { host: string; memory: number }) => used.get(host.host)! / host.memory;
  const moved = new Set<string>();
  const recommendations: DrsRecommendation[] = [];

  while (recommendations.length < MAX_MOVES_PER_PASS && loadDeviation(hosts.map(load)) > tolerance) {
    const sorted = [...hosts].sort((a, b) => load(b) - load(a));
    const busiest = sorted[0]!;
    const idlest = sorted[sorted.length - 1]!;
    const gap = used.get(busiest.host)! - used.get(idlest.host)!;
    // The VM whose memory comes closest to half the gap evens the two hosts out the most.
    const candidate = vms
      .filter((vm) => vm.status.host === busiest.host && !moved.has(vm.uid) && vm.status.allocation)
      .filter((vm) => used.get(idlest.host)! + vm.status.allocation!.memoryMiB <= idlest.memory * (cluster.spec.overcommit?.memory ?? 1.25))
      .filter((vm) => vm.status.allocation!.memoryMiB < gap)
      .sort((a, b) => Math.abs(a.status.allocation!.memoryMiB - gap / 2) - Math.abs(b.status.allocation!.memoryMiB - gap / 2))[0];
    if (!candidate) break;
    recommendations.push({
      vm: { namespace: candidate.namespace, name: candidate.name },
      from: busiest.host,
      to: idlest.host,
      reason: `Balance memory load: ${busiest.host} at ${Math.round(load(busiest) * 100)} %, ${idlest.host} at ${Math.round(load(idlest) * 100)} %`,
    });
    moved.add(candidate.uid);
    used.set(busiest.host, used.get(busiest.host)! - candidate.status.allocation!.memoryMiB);
    used.set(idlest.host, used.get(idlest.host)! + candidate.status.allocation!.memoryMiB);
  }

  if (cluster.spec.drs.automationLevel !== "fullyAutomated") return recommendations;
  for (const recommendation of recommendations) {
    const vm = vms.find((candidate) => candidate.namespace === recommendation.vm.namespace && candidate.name === recommendation.vm.name);
    if (!vm || vm.annotations[REQUESTED_HOST_ANNOTATION] === recommendation.to) continue;
    await migrateVirtualMachine(DRS_ACTOR, { ...recommendation.vm, host: recommendation.to }, ctx.pool);
  }
  return [];
}
