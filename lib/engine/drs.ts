// DRS's pass for one cluster: first move the VMs that break a VM/Host rule to hosts where they
// break none; then, when the spread of host load (booked memory over host memory) exceeds what the
// migration threshold tolerates, recommend moving VMs from the most to the least loaded hosts,
// never breaking a rule. Each VM's automation level (its VM override, or the cluster's) decides:
// fully automated VMs are migrated at once, manual and partially automated ones keep the
// recommendation for an operator, and DRS never moves a VM whose override disables it.
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { vmOwnerKey, type VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { readVmLocations } from "@/lib/engine/drs-rule-decisions";
import { brokenRules, ruleMembers, ruleViolations } from "@/lib/engine/drs-rules";
import { listObjects, type StoredObject } from "@/lib/engine/object-store";
import { drsAutomationLevel } from "@/lib/engine/vm-overrides";
import { ruleDescription } from "@/lib/vocabulary/drs-rules";
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
  const rules = cluster.spec.rules;
  const members = ruleMembers(rules);
  const locations = new Map(await readVmLocations(ctx.pool, members, "intended"));
  // A balanced cluster keeping its rules, the usual case, needs no look at its VMs: loading them is most of a pass.
  if (loadDeviation(hosts.map((host) => host.used / host.memory)) <= tolerance && ruleViolations(rules, locations).length === 0) return [];
  const vms = await listObjects<VirtualMachineSpec, VirtualMachineStatus>(
    ctx.pool,
    "VirtualMachine",
    `labels->>'skylight.io/cluster' = $2 AND status->>'powerState' = 'PoweredOn' AND status->'migration' IS NULL`,
    [cluster.name],
  );
  const automation = (vm: Pick<StoredObject, "namespace" | "name">) => drsAutomationLevel(cluster.spec.vmOverrides, vmOwnerKey(vm), cluster.spec.drs.automationLevel);
  const memoryOvercommit = cluster.spec.overcommit?.memory ?? 1.25;
  const used = new Map(hosts.map((host) => [host.host, host.used]));
  const load = (host: { host: string; memory: number }) => used.get(host.host)! / host.memory;
  const keepsRules = (vm: StoredObject, host: string) => brokenRules(rules, vmOwnerKey(vm), host, locations).length === 0;
  // VMs DRS may move: not disabled by a VM override, and with a known size.
  const movable = vms.filter((vm) => vm.status.allocation && automation(vm) !== "disabled");
  const moved = new Set<string>();
  const recommendations: DrsRecommendation[] = [];
  const recommend = (vm: (typeof vms)[number], to: string, reason: string) => {
    const from = vm.status.host!;
    recommendations.push({ vm: { namespace: vm.namespace, name: vm.name }, from, to, reason });
    moved.add(vm.uid);
    used.set(from, used.get(from)! - vm.status.allocation!.memoryMiB);
    used.set(to, used.get(to)! + vm.status.allocation!.memoryMiB);
    if (members.has(vmOwnerKey(vm))) locations.set(vmOwnerKey(vm), to);
  };

  // First the rules: a VM that breaks one goes to the host with the most room where it breaks none.
  for (const vm of movable.filter((candidate) => members.has(vmOwnerKey(candidate)))) {
    if (recommendations.length >= MAX_MOVES_PER_PASS) break;
    const broken = brokenRules(rules, vmOwnerKey(vm), vm.status.host!, locations);
    if (broken.length === 0) continue;
    const target = hosts
      .filter((host) => host.host !== vm.status.host && keepsRules(vm, host.host))
      .filter((host) => used.get(host.host)! + vm.status.allocation!.memoryMiB <= host.memory * memoryOvercommit)
      .sort((a, b) => load(a) - load(b))[0];
    if (target) recommend(vm, target.host, `Fix rule "${broken[0]!.name}" (${ruleDescription(broken[0]!)}): ${vm.name} breaks it on ${vm.status.host}`);
  }

  while (recommendations.length < MAX_MOVES_PER_PASS && loadDeviation(hosts.map(load)) > tolerance) {
    const sorted = [...hosts].sort((a, b) => load(b) - load(a));
    const busiest = sorted[0]!;
    const idlest = sorted[sorted.length - 1]!;
    const gap = used.get(busiest.host)! - used.get(idlest.host)!;
    // The VM whose memory comes closest to half the gap evens the two hosts out the most; a move never breaks a rule.
    const candidate = movable
      .filter((vm) => vm.status.host === busiest.host && !moved.has(vm.uid) && keepsRules(vm, idlest.host))
      .filter((vm) => used.get(idlest.host)! + vm.status.allocation!.memoryMiB <= idlest.memory * memoryOvercommit)
      .filter((vm) => vm.status.allocation!.memoryMiB < gap)
      .sort((a, b) => Math.abs(a.status.allocation!.memoryMiB - gap / 2) - Math.abs(b.status.allocation!.memoryMiB - gap / 2))[0];
    if (!candidate) break;
    recommend(candidate, idlest.host, `Balance memory load: ${busiest.host} at ${Math.round(load(busiest) * 100)} %, ${idlest.host} at ${Math.round(load(idlest) * 100)} %`);
  }

  // Each VM's own automation level decides: fully automated ones move now, the others wait for an operator.
  const pending: DrsRecommendation[] = [];
  for (const recommendation of recommendations) {
    const vm = vms.find((candidate) => candidate.namespace === recommendation.vm.namespace && candidate.name === recommendation.vm.name)!;
    if (automation(vm) !== "fullyAutomated") pending.push(recommendation);
    else if (vm.annotations[REQUESTED_HOST_ANNOTATION] !== recommendation.to) await migrateVirtualMachine(DRS_ACTOR, { ...recommendation.vm, host: recommendation.to }, ctx.pool);
  }
  return pending;
}
