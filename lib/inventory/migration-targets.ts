// Read model of the VM › Migrate dialog: the VM's cluster's hosts, each compatible or with the
// reason the engine would refuse it (lib/engine/migration-rules), with the memory and vCPUs it has
// free under the cluster's overcommit.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { capacityShortfall, hostRefusal, type HostBookings } from "@/lib/engine/migration-rules";
import type { VmAllocation } from "@/lib/engine/placement";

export interface MigrationTarget {
  name: string;
  /** Why the VM cannot move there now, or null when it can. */
  incompatible: string | null;
  freeMemoryMiB: number | null;
  freeVcpus: number | null;
}

export interface MigrationTargets {
  cluster: string;
  currentHost: string | null;
  hosts: MigrationTarget[];
}

interface HostRow extends Partial<HostBookings> {
  name: string;
  cluster: string;
  maintenanceMode: boolean;
  connectionState: string | null;
}

export async function readMigrationTargets(vmUid: string): Promise<MigrationTargets | null> {
  const pool = getPool();
  const { rows: vms } = await pool.query<{ cluster: string; host: string | null; allocation: VmAllocation | null; overcommit: { cpu: number; memory: number } | null }>(
    `SELECT vm.labels->>'skylight.io/cluster' AS cluster, vm.status->>'host' AS host, vm.status->'allocation' AS allocation, c.spec->'overcommit' AS overcommit
       FROM resources vm LEFT JOIN resources c ON c.kind = 'Cluster' AND c.namespace = '' AND c.name = vm.labels->>'skylight.io/cluster'
      WHERE vm.uid = $1::uuid AND vm.kind = 'VirtualMachine'`,
    [vmUid],
  );
  const vm = vms[0];
  if (!vm) return null;
  const overcommit = vm.overcommit ?? { cpu: 4, memory: 1.25 };
  const { rows: hosts } = await pool.query<HostRow>(
    `SELECT h.name, h.spec->>'cluster' AS cluster, COALESCE((h.spec->>'maintenanceMode')::boolean, false) AS "maintenanceMode",
            h.status->>'connectionState' AS "connectionState",
            a.vcpus, a.memory_allocated_mib AS "memoryAllocatedMiB", a.memory_reserved_mib AS "memoryReservedMiB",
            a.cpu_reserved_mhz AS "cpuReservedMhz", a.cpu_cores AS "cpuCores", a.memory_mib AS "memoryMiB", a.cpu_mhz_per_core AS "cpuMhzPerCore"
       FROM resources h LEFT JOIN host_allocations a ON a.host = h.name
      WHERE h.kind = 'Host' AND h.spec->>'cluster' = $1 AND h.deletion_timestamp IS NULL ORDER BY h.name`,
    [vm.cluster],
  );
  return {
    cluster: vm.cluster,
    currentHost: vm.host,
    hosts: hosts.map((host) => {
      const bookings = host.memoryMiB === undefined || host.memoryMiB === null ? null : (host as HostRow & HostBookings);
      const refusal =
        hostRefusal({ cluster: vm.cluster, host: vm.host ?? undefined }, { ...host, connectionState: host.connectionState ?? undefined }) ??
        (bookings && vm.allocation ? capacityShortfall(bookings, vm.allocation, overcommit) : null);
      return {
        name: host.name,
        incompatible: refusal,
        freeMemoryMiB: bookings ? Math.max(0, Math.floor(bookings.memoryMiB * overcommit.memory - bookings.memoryAllocatedMiB)) : null,
        freeVcpus: bookings ? Math.max(0, Math.floor(bookings.cpuCores * overcommit.cpu - bookings.vcpus)) : null,
      };
    }),
  };
}
