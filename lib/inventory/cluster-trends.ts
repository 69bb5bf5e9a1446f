// Read model of Home's trends: the VMs by power state, and each cluster's CPU and memory consumed (its own samples, summed
// from its hosts) and storage used (its datastores' samples, summed per round) over the last hour
// or day, from the level that covers the range: at most 288 points a cluster. Samples are read by
// primary key, object by object, never by scanning a round of every VM.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { levelFor } from "@/lib/metrics/metric-levels";
import { readVmStates, type VmStatePoint } from "@/lib/metrics/vm-state-samples";

export const TREND_RANGES = { hour: 3_600, day: 86_400 } as const;
export type TrendRange = keyof typeof TREND_RANGES;

export interface TrendPoint {
  time: string;
  cpuPct: number | null;
  memPct: number | null;
  storagePct: number | null;
}

export interface ClusterTrend {
  uid: string;
  name: string;
  points: TrendPoint[];
}

export interface ClusterTrends {
  range: TrendRange;
  /** The whole inventory's VMs by power state, at the same interval. */
  vmStates: VmStatePoint[];
  from: string;
  to: string;
  intervalSeconds: number;
  clusters: ClusterTrend[];
}

export async function readClusterTrends(range: TrendRange, now = new Date()): Promise<ClusterTrends> {
  const seconds = TREND_RANGES[range];
  const level = levelFor(seconds);
  const from = new Date(now.getTime() - seconds * 1000);
  const pool = getPool();
  const { rows: objects } = await pool.query<{ uid: string; kind: string; name: string; cluster: string; capacity: number | null }>(
    `SELECT uid::text, kind, name, CASE WHEN kind = 'Cluster' THEN name ELSE labels->>'skylight.io/cluster' END AS cluster, (spec->>'capacityGiB')::float8 AS capacity
       FROM resources WHERE (kind = 'Cluster' OR (kind = 'Datastore' AND labels ? 'skylight.io/cluster')) AND deletion_timestamp IS NULL`,
  );
  const clusters = objects.filter((object) => object.kind === "Cluster").sort((a, b) => a.name.localeCompare(b.name));
  const datastores = objects.filter((object) => object.kind === "Datastore");
  const { rows } = await pool.query<{ cluster: string; points: TrendPoint[] }>(
    `WITH cluster_samples AS (
       SELECT m.object_uid, m.time, m.cpu_pct, m.mem_pct FROM metric_samples m
        WHERE m.level = $1 AND m.object_uid = ANY($2::uuid[]) AND m.time >= $3),
     storage AS (
       SELECT d.cluster, m.time, 100 * sum(m.storage_used_gib) / NULLIF(sum(d.capacity), 0) AS pct
         FROM metric_samples m JOIN unnest($4::uuid[], $5::text[], $6::float8[]) AS d(uid, cluster, capacity) ON d.uid = m.object_uid
        WHERE m.level = $1 AND m.object_uid = ANY($4::uuid[]) AND m.time >= $3
        GROUP BY d.cluster, m.time)
     SELECT c.name AS cluster,
            json_agg(json_build_object(
              'time', to_char(s.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
              'cpuPct', round(s.cpu_pct::numeric, 1), 'memPct', round(s.mem_pct::numeric, 1), 'storagePct', round(st.pct::numeric, 1)) ORDER BY s.time) AS points
       FROM cluster_samples s
       JOIN unnest($2::uuid[], $7::text[]) AS c(uid, name) ON c.uid = s.object_uid
       LEFT JOIN storage st ON st.cluster = c.name AND st.time = s.time
      GROUP BY c.name`,
    [
      level.level,
      clusters.map((cluster) => cluster.uid),
      from,
      datastores.map((datastore) => datastore.uid),
      datastores.map((datastore) => datastore.cluster),
      datastores.map((datastore) => datastore.capacity ?? 0),
      clusters.map((cluster) => cluster.name),
    ],
  );
  const points = new Map(rows.map((row) => [row.cluster, row.points]));
  return {
    range,
    vmStates: await readVmStates(pool, from, level.intervalSeconds),
    from: from.toISOString(),
    to: now.toISOString(),
    intervalSeconds: level.intervalSeconds,
    clusters: clusters.map((cluster) => ({ uid: cluster.uid, name: cluster.name, points: points.get(cluster.name) ?? [] })),
  };
}
