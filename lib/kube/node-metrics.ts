// metrics.k8s.io/v1beta1 NodeMetrics, so `kubectl top node` works: each host's usage from its
// latest real-time performance sample (the same samples the charts draw), CPU in cores of the
// host's Node capacity and memory as consumed. A host with no sample in the last two sample
// intervals (not responding, or just added) is left out, as metrics-server leaves out a node it
// could not scrape.
import type pg from "pg";
import type { ApiResource } from "@/lib/kube/api-resources";
import { notFound } from "@/lib/kube/api-status";
import { resourceRef } from "@/lib/kube/kube-reads";

const WINDOW_SECONDS = 20;

interface UsageRow {
  name: string;
  time: Date;
  cpu_pct: number | null;
  mem_consumed_mib: number | null;
  cpus: string | null;
}

function nodeMetrics(row: UsageRow) {
  const cores = ((row.cpu_pct ?? 0) / 100) * Number(row.cpus ?? 0);
  return {
    kind: "NodeMetrics",
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: { name: row.name, creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
    timestamp: row.time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    window: `${WINDOW_SECONDS}s`,
    usage: { cpu: `${Math.round(cores * 1e9)}n`, memory: `${Math.round((row.mem_consumed_mib ?? 0) * 1024)}Ki` },
  };
}

async function readUsage(pool: pg.Pool, name?: string): Promise<UsageRow[]> {
  const { rows } = await pool.query<UsageRow>(
    `SELECT DISTINCT ON (h.name) h.name, s.time, s.cpu_pct, s.mem_consumed_mib, n.status->'capacity'->>'cpu' AS cpus
       FROM resources h
       JOIN metric_samples s ON s.level = 0 AND s.object_uid = h.uid AND s.time > now() - make_interval(secs => $2)
       JOIN resources n ON n.kind = 'Node' AND n.namespace = '' AND n.name = h.name
      WHERE h.kind = 'Host' AND ($1::text IS NULL OR h.name = $1)
      ORDER BY h.name, s.time DESC`,
    [name ?? null, 2 * WINDOW_SECONDS],
  );
  return rows;
}

export const isMetricsResource = (resource: ApiResource) => resource.kind === "NodeMetrics";

export async function getNodeMetrics(pool: pg.Pool, resource: ApiResource, name: string) {
  const row = (await readUsage(pool, name))[0];
  if (!row) throw notFound(resourceRef(resource, name));
  return nodeMetrics(row);
}

export async function listNodeMetrics(pool: pg.Pool) {
  return { kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: (await readUsage(pool)).map(nodeMetrics) };
}
