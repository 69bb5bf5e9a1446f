// Real hosts' performance samples from what their agents measured: QEMU's process CPU time and
// resident memory from /proc, block and network bytes from QMP. Counters only grow, so a rate is
// the difference between two reports of the same VM over the time between them; this process
// keeps the previous report of each VM for that. A host's figures are the sum of its VMs'.
import type { PerformanceCounters, PerformanceReport, ProviderDatastore, ProviderHost } from "@/lib/provider/provider";
import type { MachineStatus } from "@/lib/spherelet/machine-protocol";

type Counters = NonNullable<MachineStatus["counters"]>;

export interface MachineSample {
  ownerKey: string;
  host: string;
  cpus: number;
  memoryMiB: number;
  counters: Counters | null;
}

const previousReports = new Map<string, Counters>();

function rates(sample: MachineSample, hostMhzPerCore: number): PerformanceCounters {
  const counters = sample.counters!;
  const previous = previousReports.get(sample.ownerKey);
  const seconds = previous ? (Date.parse(counters.sampledAt) - Date.parse(previous.sampledAt)) / 1000 : 0;
  const per = (now: number, before: number | undefined) => (seconds > 0 && before !== undefined ? Math.max(0, now - before) / seconds : 0);
  const cpuShare = per(counters.cpuSeconds, previous?.cpuSeconds);
  const cpuMhz = cpuShare * hostMhzPerCore;
  const consumedMiB = counters.rssBytes / (1024 * 1024);
  return {
    cpuMhz,
    cpuPercent: Math.min(100, (100 * cpuShare) / Math.max(1, sample.cpus)),
    memoryConsumedMiB: consumedMiB,
    // QEMU cannot tell touched guest memory from active: what it holds resident stands for both.
    memoryActiveMiB: Math.min(consumedMiB, sample.memoryMiB),
    memoryPercent: Math.min(100, (100 * consumedMiB) / Math.max(1, sample.memoryMiB)),
    diskKBps: (per(counters.diskReadBytes, previous?.diskReadBytes) + per(counters.diskWriteBytes, previous?.diskWriteBytes)) / 1024,
    networkKBps: (per(counters.netRxBytes, previous?.netRxBytes) + per(counters.netTxBytes, previous?.netTxBytes)) / 1024,
  };
}

export function machinePerformance(at: Date, hosts: ProviderHost[], machines: MachineSample[], datastores: ProviderDatastore[]): PerformanceReport {
  const mhzByHost = new Map(hosts.map((host) => [host.name, host.cpuMhz]));
  const vms = machines
    .filter((machine) => machine.counters)
    .map((machine) => {
      const counters = rates(machine, mhzByHost.get(machine.host) ?? 0);
      if (machine.counters!.sampledAt !== previousReports.get(machine.ownerKey)?.sampledAt) previousReports.set(machine.ownerKey, machine.counters!);
      return { ...counters, ownerKey: machine.ownerKey, host: machine.host };
    });
  const responding = hosts.filter((host) => host.heartbeatExpiresAt !== null && at.getTime() <= host.heartbeatExpiresAt.getTime());
  return {
    hosts: responding.map((host) => {
      const own = vms.filter((vm) => vm.host === host.name);
      const cpuCapacityMhz = host.cpuCores * host.cpuMhz;
      const memoryCapacityMiB = host.memoryMiB;
      const cpuMhz = own.reduce((sum, vm) => sum + vm.cpuMhz, 0);
      const consumed = own.reduce((sum, vm) => sum + vm.memoryConsumedMiB, 0);
      return {
        name: host.name,
        cluster: host.cluster,
        cpuCapacityMhz,
        memoryCapacityMiB,
        cpuMhz,
        cpuPercent: cpuCapacityMhz > 0 ? (100 * cpuMhz) / cpuCapacityMhz : 0,
        memoryConsumedMiB: consumed,
        memoryActiveMiB: own.reduce((sum, vm) => sum + vm.memoryActiveMiB, 0),
        memoryPercent: memoryCapacityMiB > 0 ? (100 * consumed) / memoryCapacityMiB : 0,
        diskKBps: own.reduce((sum, vm) => sum + vm.diskKBps, 0),
        networkKBps: own.reduce((sum, vm) => sum + vm.networkKBps, 0),
      };
    }),
    vms: vms.map(({ host: _host, ...vm }) => vm),
    datastores,
  };
}
