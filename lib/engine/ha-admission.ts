// vSphere HA admission control, "host failures the cluster tolerates" policy: a power-on is
// allowed only if, after it, the cluster could still restart every powered-on VM when its n
// largest hosts fail. Counted in reservations, as vSphere's admission control counts them: the
// memory and CPU that powered-on VMs reserve (guaranteed classes reserve all, best-effort none)
// must fit in the capacity of the hosts that would remain — the schedulable hosts (connected,
// not in maintenance mode) minus the n with the most memory.
import type { Db } from "@/lib/db/pool";
import { allocationFor, type ClassSpec } from "@/lib/engine/controllers/vm-hardware";
import { listObjects } from "@/lib/engine/object-store";
import type { VmAllocation } from "@/lib/engine/placement";
import type { ClusterSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";

function gib(mib: number): string {
  const value = mib / 1024;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} GiB`;
}

function ghz(mhz: number): string {
  return `${(mhz / 1000).toFixed(1)} GHz`;
}

/**
 * Throws, with the shortfall in operator words, when powering on `vm` with the reservations of
 * `allocation` (or giving a running one those) would break the cluster's failover capacity. Call inside the power-on's
 * transaction: a per-cluster lock makes concurrent power-ons check one after another.
 */
export async function assertFailoverCapacity(
  tx: Db,
  cluster: { name: string; spec: ClusterSpec },
  vm: { namespace: string; name: string },
  allocation: Pick<VmAllocation, "reservedMemoryMiB" | "reservedCpuMhz">,
  /** What is being admitted, in the refusal's words. */
  action: "powering on" | "reconfiguring" = "powering on",
): Promise<void> {
  const tolerate = cluster.spec.ha.hostFailuresToTolerate;
  // A VM that reserves nothing cannot make failover capacity worse (best-effort classes).
  if (!cluster.spec.ha.enabled || tolerate === 0 || (allocation.reservedMemoryMiB === 0 && allocation.reservedCpuMhz === 0)) return;
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('ha-admission/' || $1))`, [cluster.name]);
  const { rows } = await tx.query<{ memory: number; cpu: number; reserved_memory: number; reserved_cpu: number; unplaced: VirtualMachineSpec[] }>(
    `WITH survivors AS (
       SELECT memory_mib, cpu_cores * cpu_mhz_per_core AS cpu_mhz FROM host_allocations
        WHERE cluster = $1 AND schedulable ORDER BY memory_mib DESC, host OFFSET $2)
     SELECT (SELECT COALESCE(sum(memory_mib), 0) FROM survivors)::int AS memory,
            (SELECT COALESCE(sum(cpu_mhz), 0) FROM survivors)::int AS cpu,
            COALESCE(sum((status->'allocation'->>'reservedMemoryMiB')::int), 0)::int AS reserved_memory,
            COALESCE(sum((status->'allocation'->>'reservedCpuMhz')::int), 0)::int AS reserved_cpu,
            COALESCE(jsonb_agg(spec) FILTER (WHERE status->'allocation' IS NULL), '[]') AS unplaced
       FROM resources
      WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1 AND spec->>'powerState' = 'PoweredOn'
        AND deletion_timestamp IS NULL AND NOT (namespace = $3 AND name = $4)`,
    [cluster.name, tolerate, vm.namespace, vm.name],
  );
  const capacity = rows[0]!;
  // A VM asked to power on that its controller has not placed yet reserves what its class says:
  // without it, power-ons in quick succession would each see the reserve the others are about to take.
  for (const pending of await pendingAllocations(tx, capacity.unplaced)) {
    capacity.reserved_memory += pending.reservedMemoryMiB;
    capacity.reserved_cpu += pending.reservedCpuMhz;
  }
  const memoryShort = capacity.reserved_memory + allocation.reservedMemoryMiB - capacity.memory;
  const cpuShort = capacity.reserved_cpu + allocation.reservedCpuMhz - capacity.cpu;
  if (memoryShort <= 0 && cpuShort <= 0) return;
  const failures = `${tolerate} host failure${tolerate === 1 ? "" : "s"}`;
  const needs = [memoryShort > 0 ? `${gib(memoryShort)} more memory` : null, cpuShort > 0 ? `${ghz(cpuShort)} more CPU` : null].filter(Boolean).join(" and ");
  throw new InvalidInputError(
    "spec.powerState",
    `vSphere HA admission control: ${action} ${vm.name} would leave too little failover capacity in ${cluster.name} to tolerate ${failures} (needs ${needs} in reserve).`,
  );
}

async function pendingAllocations(tx: Db, specs: VirtualMachineSpec[]): Promise<VmAllocation[]> {
  if (specs.length === 0) return [];
  const classes = await listObjects<ClassSpec, unknown>(tx, "VirtualMachineClass", "namespace = '' AND name = ANY($2)", [specs.map((spec) => spec.className)]);
  const byName = new Map(classes.map((vmClass) => [vmClass.name, vmClass]));
  return specs.flatMap((spec) => {
    const vmClass = byName.get(spec.className);
    return vmClass ? [allocationFor(vmClass, spec.hardware)] : [];
  });
}
