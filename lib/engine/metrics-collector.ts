// The leader's performance sampling: every 20 s of simulated time it asks the provider for each
// host's and VM's counters, adds clusters (summed from their responding hosts) and datastores
// (used space from the inventory), stores the round in one INSERT, rolls up and purges. A round
// ends with one change notice for the whole round, never one per object.
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { CHANGE_CHANNEL } from "@/lib/live/change-listener";
import { insertSamples, purgeExpired, rollUp, type ObjectSample } from "@/lib/metrics/metric-store";

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
  const inserted = await insertSamples(ctx.pool, at, samples);
  await ctx.pool.query(
    `INSERT INTO metric_samples (level, object_uid, time, storage_used_gib, storage_pct)
     SELECT 0, uid, $1, capacity - free, 100 * (capacity - free) / capacity
       FROM (SELECT uid, (spec->>'capacityGiB')::real AS capacity, (status->>'freeGiB')::real AS free FROM resources
              WHERE kind = 'Datastore' AND status ? 'freeGiB') AS datastores
      WHERE capacity > 0
     ON CONFLICT DO NOTHING`,
    [at],
  );
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
