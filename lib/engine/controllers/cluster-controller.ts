// The Cluster controller: capacity, usage and health rolled up from the cluster's hosts and VMs,
// the hosts' placement bookings recomputed from the VMs at most every 30 s (so they cannot drift
// for long, while a burst of VM changes, which asks for a roll-up every second, does not pay for a
// scan of every VM's status each time), and, when
// the leader's DRS timer asks, a balancing pass (lib/engine/drs.ts); between passes, the
// recommendations that no longer apply are dropped. It reports which VM/Host rules the running
// VMs violate, with an event when a rule starts being violated.
import { withTransaction } from "@/lib/db/pool";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { balanceCluster, isRecommendationCurrent, type DrsRecommendation } from "@/lib/engine/drs";
import { finishReachedTasks, recordEvent } from "@/lib/engine/activity";
import { readVmLocations } from "@/lib/engine/drs-rule-decisions";
import { ruleMembers, ruleViolations, type RuleViolation } from "@/lib/engine/drs-rules";
import { getObject, writeStatus, type ObjectKey } from "@/lib/engine/object-store";
import { recomputeAllocations } from "@/lib/engine/placement";
import type { ClusterSpec } from "@/lib/engine/schemas";
import { sameJson } from "@/lib/engine/same-json";
import { DRS_REQUESTED_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

export interface ClusterStatus {
  hosts?: { total: number; connected: number; notResponding: number; inMaintenance: number };
  virtualMachines?: { total: number; poweredOn: number };
  capacity?: { cpuMhz: number; memoryMiB: number; vcpus: number };
  usage?: { vcpus: number; memoryMiB: number; memoryReservedMiB: number };
  health?: "green" | "yellow" | "red";
  drs?: { lastRun?: string; recommendations: DrsRecommendation[] };
  /** The enabled VM/Host rules its running VMs violate now (the "VM/Host rule violated" alarm watches it). */
  ruleViolations?: RuleViolation[];
  conditions?: Condition[];
  observedGeneration?: number;
}

/** Drops the recommendations that were applied or that the VMs' moves have overtaken. */
async function currentRecommendations(ctx: ReconcileContext, recommendations: DrsRecommendation[]): Promise<DrsRecommendation[]> {
  const vms = await Promise.all(
    recommendations.map((recommendation) => getObject<unknown, VirtualMachineStatus>(ctx.pool, { kind: "VirtualMachine", ...recommendation.vm })),
  );
  return recommendations.filter((recommendation, index) => isRecommendationCurrent(recommendation, vms[index] ?? null));
}

const RECOMPUTE_EVERY_MS = 30_000;
const recomputedAt = new Map<string, number>();

export async function reconcileCluster(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const cluster = await getObject<ClusterSpec, ClusterStatus>(ctx.pool, key);
  if (!cluster) return DONE;
  if (Date.now() - (recomputedAt.get(cluster.uid) ?? 0) >= RECOMPUTE_EVERY_MS) {
    await withTransaction(ctx.pool, (tx) => recomputeAllocations(tx, cluster.name));
    recomputedAt.set(cluster.uid, Date.now());
  }

  const { rows: hostRows } = await ctx.pool.query<{ total: number; connected: number; not_responding: number; down: number; in_maintenance: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status->>'connectionState' = 'connected')::int AS connected,
            count(*) FILTER (WHERE status->>'connectionState' = 'notResponding')::int AS not_responding,
            count(*) FILTER (WHERE status->>'connectionState' IN ('notResponding', 'disconnected'))::int AS down,
            count(*) FILTER (WHERE (status->>'inMaintenanceMode')::boolean)::int AS in_maintenance
       FROM resources WHERE kind = 'Host' AND spec->>'cluster' = $1`,
    [cluster.name],
  );
  const { rows: capacityRows } = await ctx.pool.query<{ cpu_mhz: number; memory: number; vcpus: number; used_vcpus: number; used_memory: number; reserved: number }>(
    `SELECT COALESCE(sum(cpu_cores * cpu_mhz_per_core), 0)::int AS cpu_mhz, COALESCE(sum(memory_mib), 0)::int AS memory,
            COALESCE(sum(cpu_cores), 0)::int AS vcpus, COALESCE(sum(vcpus), 0)::int AS used_vcpus,
            COALESCE(sum(memory_allocated_mib), 0)::int AS used_memory, COALESCE(sum(memory_reserved_mib), 0)::int AS reserved
       FROM host_allocations WHERE cluster = $1`,
    [cluster.name],
  );
  const { rows: vmRows } = await ctx.pool.query<{ total: number; powered_on: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status->>'powerState' = 'PoweredOn')::int AS powered_on
       FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1`,
    [cluster.name],
  );
  const hosts = hostRows[0]!;
  const capacity = capacityRows[0]!;
  // As the navigator rolls it up: a host that is not responding or disconnected is down.
  const health = hosts.total > 0 && hosts.down >= hosts.total ? "red" : hosts.down > 0 ? "yellow" : "green";

  let drs = cluster.status.drs ?? { recommendations: [] };
  const drsDue = cluster.annotations[DRS_REQUESTED_ANNOTATION] !== undefined && cluster.annotations[DRS_REQUESTED_ANNOTATION] !== drs.lastRun;
  if (drsDue && cluster.spec.drs.enabled) {
    drs = { lastRun: cluster.annotations[DRS_REQUESTED_ANNOTATION], recommendations: await balanceCluster(ctx, cluster) };
  } else if (!cluster.spec.drs.enabled) {
    drs = { ...drs, recommendations: [] };
  } else if (drs.recommendations.length > 0) {
    drs = { ...drs, recommendations: await currentRecommendations(ctx, drs.recommendations) };
  }

  const members = ruleMembers(cluster.spec.rules);
  const violations = members.size > 0 ? ruleViolations(cluster.spec.rules, await readVmLocations(ctx.pool, members, "actual")) : [];
  const violatedBefore = new Set((cluster.status.ruleViolations ?? []).map((violation) => violation.rule));

  const now = ctx.now();
  let conditions = setCondition(cluster.status.conditions, "Ready", health === "red" ? "False" : "True", health === "red" ? "AllHostsDown" : "Ready", "", now);
  conditions = setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", now);
  const status: ClusterStatus = {
    ...cluster.status,
    hosts: { total: hosts.total, connected: hosts.connected, notResponding: hosts.not_responding, inMaintenance: hosts.in_maintenance },
    virtualMachines: { total: vmRows[0]!.total, poweredOn: vmRows[0]!.powered_on },
    capacity: { cpuMhz: capacity.cpu_mhz, memoryMiB: capacity.memory, vcpus: capacity.vcpus },
    usage: { vcpus: capacity.used_vcpus, memoryMiB: capacity.used_memory, memoryReservedMiB: capacity.reserved },
    health,
    drs,
    ruleViolations: violations.length > 0 ? violations : undefined,
    conditions,
    observedGeneration: cluster.generation,
  };
  if (!sameJson(status, cluster.status)) {
    await withTransaction(ctx.pool, async (tx) => {
      await writeStatus(tx, cluster, status);
      for (const violation of violations.filter((candidate) => !violatedBefore.has(candidate.rule))) {
        await recordEvent(tx, { reason: "Cluster.ruleViolated", message: violation.message, object: cluster, severity: "warning" });
      }
    });
  }
  // DRS and HA settings take effect with this pass, so their tasks are done.
  await finishReachedTasks(ctx.pool, cluster.uid, cluster.generation);
  return DONE;
}
