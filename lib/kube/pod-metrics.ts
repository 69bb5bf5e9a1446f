// metrics.k8s.io/v1beta1 PodMetrics, so `kubectl top pod` works: each running pod's usage as its
// host last reported it (pod_metrics: a real host's PodReport.usage, or the pod controller's
// figures for a pod on a simulated host), kept out of the Pod object so a report that changes only
// the figures writes no new resourceVersion. The pod's usage is shared among its containers, as
// Skylight's hosts measure a pod as a whole. Who may list them is who may read the namespace's pods.
import type pg from "pg";
import type { ApiResource } from "@/lib/kube/api-resources";
import { notFound } from "@/lib/kube/api-status";
import type { KubeVisibility } from "@/lib/kube/kube-access";
import { resourceRef } from "@/lib/kube/kube-reads";

interface UsageRow {
  namespace: string;
  name: string;
  containers: string[];
  cpu_nano_cores: number;
  memory_bytes: number;
  observed_at: Date;
}

const WINDOW = "20s";
const kubeTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, "Z");

function podMetrics(row: UsageRow) {
  const share = Math.max(1, row.containers.length);
  return {
    kind: "PodMetrics",
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: { name: row.name, namespace: row.namespace, creationTimestamp: kubeTime(new Date()) },
    timestamp: kubeTime(row.observed_at),
    window: WINDOW,
    containers: row.containers.map((name) => ({
      name,
      usage: { cpu: `${Math.round(row.cpu_nano_cores / share)}n`, memory: `${Math.round(row.memory_bytes / share / 1024)}Ki` },
    })),
  };
}

async function readUsage(pool: pg.Pool, filter: { namespace?: string; name?: string; namespaces: string[] | null }): Promise<UsageRow[]> {
  const { rows } = await pool.query<UsageRow>(
    `SELECT p.namespace, p.name, ARRAY(SELECT c->>'name' FROM jsonb_array_elements(p.spec->'containers') c) AS containers,
            m.cpu_nano_cores, m.memory_bytes, m.observed_at
       FROM pod_metrics m JOIN resources p ON p.uid = m.pod_uid AND p.kind = 'Pod'
      WHERE p.status->>'phase' = 'Running' AND ($1::text IS NULL OR p.namespace = $1) AND ($2::text IS NULL OR p.name = $2)
        AND ($3::text[] IS NULL OR p.namespace = ANY($3))
      ORDER BY p.namespace, p.name`,
    [filter.namespace ?? null, filter.name ?? null, filter.namespaces],
  );
  return rows;
}

export async function getPodMetrics(pool: pg.Pool, resource: ApiResource, namespace: string, name: string) {
  const row = (await readUsage(pool, { namespace, name, namespaces: null }))[0];
  if (!row) throw notFound(resourceRef(resource, name));
  return podMetrics(row);
}

export async function listPodMetrics(pool: pg.Pool, namespace: string | undefined, visible: KubeVisibility) {
  const rows = await readUsage(pool, { namespace, namespaces: visible.namespaces });
  return { kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: rows.map(podMetrics) };
}
