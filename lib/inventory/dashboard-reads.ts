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
         LEFT JOIN metric_samples s ON s.level = 0 AND s.object_uid = c.uid AND s.time = ${LATEST}
         LEFT JOIN storage st ON st.cluster = c.name
        WHERE c.kind = 'Cluster' ORDER BY c.name`,
    ),
    pool.query<TopConsumer & { rank: number }>(
      `SELECT * FROM (
         SELECT r.uid::text, r.kind, r.name, r.namespace, s.cpu_mhz AS "cpuMhz", s.cpu_pct AS "cpuPct", s.mem_pct AS "memPct",
                row_number() OVER (PARTITION BY r.kind ORDER BY s.cpu_mhz DESC) AS rank
           FROM metric_samples s JOIN resources r ON r.uid = s.object_uid
          WHERE s.level = 0 AND s.time = ${LATEST} AND r.kind IN ('VirtualMachine', 'Host')) AS ranked
        WHERE rank <= 5 ORDER BY kind, rank`,
    ),
    pool.query<FailedTask>(
      `SELECT id::text, description, error, target_name AS "targetName", target_uid::text AS "targetUid", initiator,
              to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"
         FROM tasks WHERE state = 'error' ORDER BY queued_at DESC LIMIT 6`,
    ),
  ]);
  const strip = ({ rank: _rank, ...row }: TopConsumer & { rank: number }): TopConsumer => row;
  return {
    sampledAt: latest.rows[0]?.at ?? null,
    clusters: clusters.rows,
    topVms: top.rows.filter((row) => row.kind === "VirtualMachine").map(strip),
    topHosts: top.rows.filter((row) => row.kind === "Host").map(strip),
    failedTasks: failed.rows,
  };
}
