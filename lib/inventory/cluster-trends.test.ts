import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { readClusterTrends } from "@/lib/inventory/cluster-trends";

const now = new Date("2026-12-07T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
let cluster = "";
const datastores: string[] = [];

beforeAll(async () => {
  const pool = getPool();
  cluster = (await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Cluster", namespace: "", name: "trend-cluster", spec: {} })).uid;
  await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Cluster", namespace: "", name: "quiet-cluster", spec: {} });
  for (const [name, capacityGiB] of [["trend-ds-a", 300], ["trend-ds-b", 100]] as const) {
    datastores.push((await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Datastore", namespace: "", name, labels: { "skylight.io/cluster": "trend-cluster" }, spec: { capacityGiB } })).uid);
  }
  // Two real-time rounds in the last hour, one older; a 5-minute average from earlier in the day.
  const sample = (level: number, uid: string, time: Date, values: { cpu?: number; mem?: number; storage?: number }) =>
    pool.query(`INSERT INTO metric_samples (level, object_uid, time, cpu_pct, mem_pct, storage_used_gib) VALUES ($1, $2, $3, $4, $5, $6)`, [level, uid, time, values.cpu ?? null, values.mem ?? null, values.storage ?? null]);
  for (const [seconds, cpu, mem, used] of [[60, 20, 40, [100, 20]], [40, 30, 45, [140, 20]], [7_200, 90, 90, [0, 0]]] as const) {
    await sample(0, cluster, ago(seconds), { cpu, mem });
    await sample(0, datastores[0]!, ago(seconds), { storage: used[0] });
    await sample(0, datastores[1]!, ago(seconds), { storage: used[1] });
  }
  await sample(1, cluster, ago(6 * 3_600), { cpu: 50, mem: 60 });
  await sample(1, datastores[0]!, ago(6 * 3_600), { storage: 200 });
});

describe("Home's trends by cluster", () => {
  it("gives each cluster its CPU, memory and storage (its datastores summed per round) over the last hour", async () => {
    const trends = await readClusterTrends("hour", now);
    expect(trends.intervalSeconds).toBe(20);
    expect(trends.clusters.map((each) => each.name)).toEqual(["quiet-cluster", "trend-cluster"]);
    expect(trends.clusters[0]!.points).toEqual([]);
    expect(trends.clusters[1]!.points).toEqual([
      { time: "2026-12-07T11:59:00Z", cpuPct: 20, memPct: 40, storagePct: 30 },
      { time: "2026-12-07T11:59:20Z", cpuPct: 30, memPct: 45, storagePct: 40 },
    ]);
  });

  // A round counts the capacity of the datastores that reported in it: 200 GiB of trend-ds-a's 300.
  it("reads the last day from the 5-minute averages", async () => {
    const trends = await readClusterTrends("day", now);
    expect(trends.intervalSeconds).toBe(300);
    expect(trends.clusters.find((each) => each.name === "trend-cluster")!.points).toEqual([{ time: "2026-12-07T06:00:00Z", cpuPct: 50, memPct: 60, storagePct: 66.7 }]);
  });
});
