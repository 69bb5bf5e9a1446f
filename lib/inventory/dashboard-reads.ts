// Read model of Home's health dashboard: each cluster's CPU, memory and storage capacity and
// what is in use (from the latest performance sample), the top consumers of the latest sample,
// and the most recent failed tasks. Counts by state and triggered alarms have their own reads.
import "server-only";
import { getPool } from "@/lib/db/pool";

export interface ClusterCapacity {
  uid: string;
  name: string;
  cpu: { usedMhz: number; capacityMhz: number };
  memory: { usedMiB: number; capacityMiB: number };
  storage: { usedGiB: number; capacityGiB: number };
}

export interface TopConsumer {
  uid: string;
  kind: "VirtualMachine" | "Host";
  name: string;
  namespace: string;
  cpuMhz: number;
  cpuPct: number;
  memPct: number;
}

export interface FailedTask {
  id: string;
  description: string;
  error: string | null;
  targetName: string;
  targetUid: string | null;
  initiator: string;
  completedAt: string;
}

export interface Dashboard {
  sampledAt: string | null;
  clusters: ClusterCapacity[];
  topVms: TopConsumer[];
  topHosts: TopConsumer[];
  failedTasks: FailedTask[];
}

const LATEST = `(SELECT max(time) FROM metric_samples WHERE level = 0)`;

// Both sample reads are written so that their plan does not depend on the statistics of
// metric_samples: right after a start its partitions hold a first round of 47,000 samples that
// autovacuum has not analyzed yet, and a join on "time = latest" was then planned as one matching
// row (40 clusters x 38,000 samples compared in a nested loop: 250 ms instead of 1 ms). A cluster's
// sample is its own latest one by primary key; the top consumers walk the latest round in CPU
// order, joining until each kind has its five, instead of joining all 47,000 to rank them.

export async function readDashboard(): Promise<Dashboard> {
  const pool = getPool();
  const [latest, clusters, top, failed] = await Promise.all([
    pool.query<{ at: string | null }>(`SELECT to_char(max(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM metric_samples WHERE level = 0`),
    pool.query<ClusterCapacity>(
      `WITH storage AS (
         SELECT labels->>'skylight.io/cluster' AS cluster, sum((spec->>'capacityGiB')::float8) AS capacity,
                sum((spec->>'capacityGiB')::float8 - COALESCE((status->>'freeGiB')::float8, 0)) AS used
           FROM resources WHERE kind = 'Datastore' GROUP BY 1)
       SELECT c.uid::text, c.name,
              json_build_object('usedMhz', COALESCE(s.cpu_mhz, 0), 'capacityMhz', COALESCE((c.status->'capacity'->>'cpuMhz')::float8, 0)) AS cpu,
              json_build_object('usedMiB', COALESCE(s.mem_consumed_mib, 0), 'capacityMiB', COALESCE((c.status->'capacity'->>'memoryMiB')::float8, 0)) AS memory,
              json_build_object('usedGiB', COALESCE(st.used, 0), 'capacityGiB', COALESCE(st.capacity, 0)) AS storage
         FROM resources c
         LEFT JOIN LATERAL (SELECT time, cpu_mhz, mem_consumed_mib FROM metric_samples s
                             WHERE s.level = 0 AND s.object_uid = c.uid ORDER BY s.time DESC LIMIT 1) s ON s.time = ${LATEST}
         LEFT JOIN storage st ON st.cluster = c.name
        WHERE c.kind = 'Cluster' ORDER BY c.name`,
    ),
    pool.query<TopConsumer>(
      // The round is sorted once; each kind reads it in that order and stops at its fifth.
      `WITH latest AS MATERIALIZED (
         SELECT object_uid, cpu_mhz, cpu_pct, mem_pct FROM metric_samples WHERE level = 0 AND time = ${LATEST} ORDER BY cpu_mhz DESC)
       SELECT top.uid::text, top.kind, top.name, top.namespace, top.cpu_mhz AS "cpuMhz", top.cpu_pct AS "cpuPct", top.mem_pct AS "memPct"
         FROM (VALUES ('Host'), ('VirtualMachine')) AS k(kind)
        CROSS JOIN LATERAL (
          SELECT r.uid, r.kind, r.name, r.namespace, s.cpu_mhz, s.cpu_pct, s.mem_pct
            FROM latest s JOIN resources r ON r.uid = s.object_uid AND r.kind = k.kind
           ORDER BY s.cpu_mhz DESC LIMIT 5) AS top
        ORDER BY top.kind, top.cpu_mhz DESC`,
    ),
    pool.query<FailedTask>(
      `SELECT id::text, description, error, target_name AS "targetName", target_uid::text AS "targetUid", initiator,
              to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"
         FROM tasks WHERE state = 'error' ORDER BY queued_at DESC LIMIT 6`,
    ),
  ]);
  return {
    sampledAt: latest.rows[0]?.at ?? null,
    clusters: clusters.rows,
    topVms: top.rows.filter((row) => row.kind === "VirtualMachine"),
    topHosts: top.rows.filter((row) => row.kind === "Host"),
    failedTasks: failed.rows,
  };
}
