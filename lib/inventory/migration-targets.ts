// Read model of the VM › Migrate dialog: the VM's cluster's hosts and datastores, each compatible
// or with the reason the engine would refuse it (lib/engine/migration-rules, and a must VM/Host
// rule it would break), with the memory and
// vCPUs a host has free under the cluster's overcommit and the space a datastore has free.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { capacityShortfall, datastoreRefusal, hostRefusal, type HostBookings } from "@/lib/engine/migration-rules";
import { mustRuleRefusals } from "@/lib/engine/drs-rule-decisions";
import type { VmAllocation } from "@/lib/engine/placement";
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import { addedDisksGiB } from "@/lib/engine/vm-device-rules";

export interface MigrationTarget {
  name: string;
  /** Why the VM cannot move there now, or null when it can. */
  incompatible: string | null;
  freeMemoryMiB: number | null;
  freeVcpus: number | null;
}

export interface StorageTarget {
  name: string;
  type: string;
  /** Why the VM's disks cannot move there, or null when they can. */
  incompatible: string | null;
  freeGiB: number | null;
}

export interface MigrationTargets {
  cluster: string;
  currentHost: string | null;
  currentDatastore: string;
  diskGiB: number;
  hosts: MigrationTarget[];
  datastores: StorageTarget[];
}

interface HostRow extends Partial<HostBookings> {
  name: string;
  cluster: string;
  maintenanceMode: boolean;
  connectionState: string | null;
}

export async function readMigrationTargets(vmUid: string): Promise<MigrationTargets | null> {
  const pool = getPool();
  const { rows: vms } = await pool.query<{
    cluster: string;
    host: string | null;
    datastore: string;
    diskGiB: number | null;
    volumes: VirtualMachineSpec["volumes"] | null;
    allocation: VmAllocation | null;
    overcommit: { cpu: number; memory: number } | null;
    vmKey: string;
  }>(
    `SELECT vm.labels->>'skylight.io/cluster' AS cluster, vm.namespace || '/' || vm.name AS "vmKey", vm.status->>'host' AS host, vm.spec->>'storageClass' AS datastore,
            (vm.status->'hardware'->>'diskGiB')::int AS "diskGiB", vm.spec->'volumes' AS volumes, vm.status->'allocation' AS allocation, c.spec->'overcommit' AS overcommit
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
  const { rows: datastores } = await pool.query<{ name: string; type: string; cluster: string; freeGiB: number | null }>(
    `SELECT name, COALESCE(spec->>'type', '') AS type, labels->>'skylight.io/cluster' AS cluster, (status->>'freeGiB')::int AS "freeGiB"
       FROM resources WHERE kind = 'Datastore' AND labels->>'skylight.io/cluster' = $1 AND deletion_timestamp IS NULL ORDER BY name`,
    [vm.cluster],
  );
  const diskGiB = (vm.diskGiB ?? 0) + addedDisksGiB({ volumes: vm.volumes ?? undefined });
  const ruleRefusals = await mustRuleRefusals(pool, vm.cluster, vm.vmKey, hosts.map((host) => host.name), false);
  return {
    cluster: vm.cluster,
    currentHost: vm.host,
    currentDatastore: vm.datastore,
    diskGiB,
    datastores: datastores.map((datastore) => ({
      name: datastore.name,
      type: datastore.type,
      incompatible: datastoreRefusal({ cluster: vm.cluster, datastore: vm.datastore, diskGiB }, datastore),
      freeGiB: datastore.freeGiB,
    })),
    hosts: hosts.map((host) => {
      const bookings = host.memoryMiB === undefined || host.memoryMiB === null ? null : (host as HostRow & HostBookings);
      const refusal =
        hostRefusal({ cluster: vm.cluster, host: vm.host ?? undefined }, { ...host, connectionState: host.connectionState ?? undefined }) ??
        (bookings && vm.allocation ? capacityShortfall(bookings, vm.allocation, overcommit) : null) ??
        ruleRefusals.get(host.name) ??
        null;
      return {
        name: host.name,
        incompatible: refusal,
        freeMemoryMiB: bookings ? Math.max(0, Math.floor(bookings.memoryMiB * overcommit.memory - bookings.memoryAllocatedMiB)) : null,
        freeVcpus: bookings ? Math.max(0, Math.floor(bookings.cpuCores * overcommit.cpu - bookings.vcpus)) : null,
      };
    }),
  };
}
