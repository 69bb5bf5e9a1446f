// The leader's performance sampling: every 20 s of simulated time it asks the provider for each
// host's and VM's counters and every datastore's used space, adds clusters (summed from their
// responding hosts), stores the round in one INSERT, rolls up and purges, and enqueues the
// datastores whose recorded free space is out of date. A round ends with one change notice for the
// whole round, never one per object.
import { enqueueChangedDatastores, freeGiBOf } from "@/lib/engine/controllers/datastore-controller";
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { CHANGE_CHANNEL } from "@/lib/live/change-listener";
import { insertSamples, purgeExpired, rollUp, type ObjectSample } from "@/lib/metrics/metric-store";
import { recordVmStates } from "@/lib/metrics/vm-state-samples";

/** How often the leader samples: 20 s of simulated time, but not more than once a second. */
export function sampleIntervalMs(simSpeed: number): number {
  return simSpeed > 0 ? Math.max(1_000, 20_000 / simSpeed) : 20_000;
}

export async function collectMetrics(ctx: ReconcileContext, at: Date): Promise<number> {
  const report = await ctx.provider.performance(at);
  const samples: ObjectSample[] = [];
  for (const { ownerKey, ...counters } of report.vms) {
    const slash = ownerKey.indexOf("/");
    samples.push({ kind: "VirtualMachine", namespace: ownerKey.slice(0, slash), name: ownerKey.slice(slash + 1), values: columnsOf(counters) });
  }
  const clusters = new Map<string, { cpuMhz: number; cpuCapacityMhz: number; memoryConsumedMiB: number; memoryActiveMiB: number; memoryCapacityMiB: number; diskKBps: number; networkKBps: number }>();
  for (const { name, cluster, cpuCapacityMhz, memoryCapacityMiB, ...counters } of report.hosts) {
    samples.push({ kind: "Host", namespace: "", name, values: columnsOf(counters) });
    const sum = clusters.get(cluster) ?? { cpuMhz: 0, cpuCapacityMhz: 0, memoryConsumedMiB: 0, memoryActiveMiB: 0, memoryCapacityMiB: 0, diskKBps: 0, networkKBps: 0 };
    sum.cpuMhz += counters.cpuMhz;
    sum.cpuCapacityMhz += cpuCapacityMhz;
    sum.memoryConsumedMiB += counters.memoryConsumedMiB;
    sum.memoryActiveMiB += counters.memoryActiveMiB;
    sum.memoryCapacityMiB += memoryCapacityMiB;
    sum.diskKBps += counters.diskKBps;
    sum.networkKBps += counters.networkKBps;
    clusters.set(cluster, sum);
  }
  for (const [name, sum] of clusters) {
    samples.push({
      kind: "Cluster",
      namespace: "",
      name,
      values: {
        cpu_mhz: sum.cpuMhz,
        cpu_pct: (100 * sum.cpuMhz) / sum.cpuCapacityMhz,
        mem_consumed_mib: sum.memoryConsumedMiB,
        mem_active_mib: sum.memoryActiveMiB,
        mem_pct: (100 * sum.memoryConsumedMiB) / sum.memoryCapacityMiB,
        disk_kbps: sum.diskKBps,
        net_kbps: sum.networkKBps,
      },
    });
  }
  for (const datastore of report.datastores) {
    if (datastore.capacityGiB <= 0) continue;
    const used = datastore.capacityGiB - freeGiBOf(datastore);
    samples.push({ kind: "Datastore", namespace: "", name: datastore.name, values: { storage_used_gib: used, storage_pct: (100 * used) / datastore.capacityGiB } });
  }
  const inserted = await insertSamples(ctx.pool, at, samples);
  // The Datastore controller writes the new free space where the console shows it.
  await enqueueChangedDatastores(ctx.pool, report.datastores);
  await recordVmStates(ctx.pool, at);
  await rollUp(ctx.pool, at);
  await purgeExpired(ctx.pool, at);
  await ctx.pool.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, JSON.stringify({ source: "metrics", kinds: [], uids: null, count: inserted })]);
  return inserted;
}

function columnsOf(counters: { cpuMhz: number; cpuPercent: number; memoryConsumedMiB: number; memoryActiveMiB: number; memoryPercent: number; diskKBps: number; networkKBps: number }) {
  return {
    cpu_mhz: counters.cpuMhz,
    cpu_pct: counters.cpuPercent,
    mem_consumed_mib: counters.memoryConsumedMiB,
    mem_active_mib: counters.memoryActiveMiB,
    mem_pct: counters.memoryPercent,
    disk_kbps: counters.diskKBps,
    net_kbps: counters.networkKBps,
  };
}
