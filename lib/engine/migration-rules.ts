// Whether a host can take a VM that is moved to it: the rules migrateVirtualMachine enforces when
// asked, and the room the VM controller needs when it books the target (bookOnHost), kept in one
// place so the Migrate dialog shows exactly what the engine would refuse.
import type { Overcommit, VmAllocation } from "@/lib/engine/placement";

export interface MigrationHost {
  name: string;
  cluster: string;
  maintenanceMode: boolean;
  connectionState: string | undefined;
}

/**
 * Why `host` cannot be asked to take the VM, as "Host … is <reason>", or null when it can. The
 * engine leaves out the VM's current host: asking a VM to stay where it is withdraws a request.
 */
export function hostRefusal(vm: { cluster: string; host?: string }, host: MigrationHost): string | null {
  if (host.cluster !== vm.cluster) return `in cluster ${host.cluster}; the VM can move only within ${vm.cluster}`;
  if (host.maintenanceMode) return "in maintenance mode";
  if (host.connectionState === "disconnected") return "disconnected";
  if (host.connectionState === "notResponding") return "not responding";
  if (host.connectionState !== "connected") return "not connected";
  if (host.name === vm.host) return "the VM's current host";
  return null;
}

export interface MigrationDatastore {
  name: string;
  /** The cluster whose hosts mount it. */
  cluster: string;
  freeGiB: number | null;
}

/**
 * Why the VM's disks cannot move to `datastore` ("it is …", "it has …"), or null when they can: it must be another datastore the cluster's hosts mount, with room for the disk.
 */
export function datastoreRefusal(vm: { cluster: string; datastore: string; diskGiB: number }, datastore: MigrationDatastore): string | null {
  if (datastore.name === vm.datastore) return "it is the VM's current datastore";
  if (datastore.cluster !== vm.cluster) return `it is not mounted by the hosts of cluster ${vm.cluster}`;
  if (datastore.freeGiB !== null && datastore.freeGiB < vm.diskGiB) return `it has not enough free space (needs ${vm.diskGiB} GiB, ${datastore.freeGiB} GiB free)`;
  return null;
}

export interface HostBookings {
  vcpus: number;
  memoryAllocatedMiB: number;
  memoryReservedMiB: number;
  cpuReservedMhz: number;
  cpuCores: number;
  memoryMiB: number;
  cpuMhzPerCore: number;
}

/** The same test as bookOnHost's UPDATE: vCPUs and memory under the cluster's overcommit, reservations in full. */
export function capacityShortfall(host: HostBookings, allocation: VmAllocation, overcommit: Overcommit): string | null {
  const freeMemory = Math.floor(host.memoryMiB * overcommit.memory - host.memoryAllocatedMiB);
  const freeVcpus = Math.floor(host.cpuCores * overcommit.cpu - host.vcpus);
  if (allocation.memoryMiB > freeMemory) return `not enough free memory: needs ${allocation.memoryMiB} MiB, ${Math.max(0, freeMemory)} MiB free`;
  if (allocation.cpus > freeVcpus) return `not enough free CPU: needs ${allocation.cpus} vCPUs, ${Math.max(0, freeVcpus)} free`;
  if (host.memoryReservedMiB + allocation.reservedMemoryMiB > host.memoryMiB) return "not enough memory to honour the VM's memory reservation";
  if (host.cpuReservedMhz + allocation.reservedCpuMhz > host.cpuCores * host.cpuMhzPerCore) return "not enough CPU to honour the VM's CPU reservation";
  return null;
}
