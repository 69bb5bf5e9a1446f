// The simulator's performance counters: every powered-on VM's guest load at one instant (the
// seeded random walk of timing.ts), with disk and network traffic that follow its CPU, summed per
// host with the hypervisor's own overhead. Two reads, then arithmetic, at 45,000 VMs.
import type { PerformanceCounters, PerformanceReport } from "@/lib/provider/provider";
import { guestLoadAt, random } from "@/lib/simulator/timing";

interface Db {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** ESXi keeps about this much memory for itself, plus a little per VM. */
const HYPERVISOR_MEMORY_MIB = 2048;
const VM_OVERHEAD = 0.03;
/** The hypervisor's own CPU use, as a fraction of the host's capacity. */
const HYPERVISOR_CPU = 0.01;

export async function simulatedPerformance(db: Db, seed: number, at: Date): Promise<Omit<PerformanceReport, "datastores">> {
  const [hosts, vms] = await Promise.all([
    db.query<{ name: string; cluster: string; cpu_cores: number; cpu_mhz: number; memory_mib: number }>(
      "SELECT name, cluster, cpu_cores, cpu_mhz, memory_mib FROM sim_hosts WHERE failed_at IS NULL",
    ),
    db.query<{ id: string; owner_key: string; host: string; cpus: number; memory_mib: number }>(
      "SELECT id, owner_key, host, cpus, memory_mib FROM sim_vms WHERE power_state = 'PoweredOn'",
    ),
  ]);
  const bucket = Math.floor(at.getTime() / 20_000);
  const totals = new Map<string, PerformanceCounters>();
  const report: Omit<PerformanceReport, "datastores"> = { hosts: [], vms: [] };
  const responding = new Set(hosts.rows.map((host) => host.name));
  for (const vm of vms.rows) {
    if (!responding.has(vm.host)) continue;
    const load = guestLoadAt(seed, { id: vm.id, cpus: vm.cpus, memoryMiB: vm.memory_mib }, at);
    const busy = load.cpuMhz / (vm.cpus * 2600);
    const counters: PerformanceCounters = {
      cpuMhz: load.cpuMhz,
      cpuPercent: 100 * busy,
      // The guest has touched more than it is actively using; ESXi still backs it.
      memoryConsumedMiB: load.memoryActiveMiB + 0.6 * (vm.memory_mib - load.memoryActiveMiB),
      memoryActiveMiB: load.memoryActiveMiB,
      memoryPercent: (100 * load.memoryActiveMiB) / vm.memory_mib,
      diskKBps: busy * (400 + 3600 * random(seed, vm.id, "disk")) * (0.7 + 0.6 * random(seed, vm.id, "disk", bucket)),
      networkKBps: busy * (200 + 2400 * random(seed, vm.id, "net")) * (0.7 + 0.6 * random(seed, vm.id, "net", bucket)),
    };
    report.vms.push({ ownerKey: vm.owner_key, ...counters });
    const sum = totals.get(vm.host) ?? { cpuMhz: 0, cpuPercent: 0, memoryConsumedMiB: 0, memoryActiveMiB: 0, memoryPercent: 0, diskKBps: 0, networkKBps: 0 };
    sum.cpuMhz += counters.cpuMhz;
    sum.memoryConsumedMiB += counters.memoryConsumedMiB * (1 + VM_OVERHEAD);
    sum.memoryActiveMiB += counters.memoryActiveMiB;
    sum.diskKBps += counters.diskKBps;
    sum.networkKBps += counters.networkKBps;
    totals.set(vm.host, sum);
  }
  for (const host of hosts.rows) {
    const cpuCapacityMhz = host.cpu_cores * host.cpu_mhz;
    const sum = totals.get(host.name);
    const cpuMhz = Math.min(cpuCapacityMhz, (sum?.cpuMhz ?? 0) + HYPERVISOR_CPU * cpuCapacityMhz);
    const memoryConsumedMiB = Math.min(host.memory_mib, (sum?.memoryConsumedMiB ?? 0) + HYPERVISOR_MEMORY_MIB);
    report.hosts.push({
      name: host.name,
      cluster: host.cluster,
      cpuCapacityMhz,
      memoryCapacityMiB: host.memory_mib,
      cpuMhz,
      cpuPercent: (100 * cpuMhz) / cpuCapacityMhz,
      memoryConsumedMiB,
      memoryActiveMiB: (sum?.memoryActiveMiB ?? 0) + HYPERVISOR_MEMORY_MIB / 2,
      memoryPercent: (100 * memoryConsumedMiB) / host.memory_mib,
      diskKBps: sum?.diskKBps ?? 0,
      networkKBps: sum?.networkKBps ?? 0,
    });
  }
  return report;
}
