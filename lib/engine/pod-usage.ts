// What a pod uses now (metrics.k8s.io PodMetrics), one row per pod in pod_metrics, kept out of the
// Pod object so new figures write no resourceVersion: reported by a real host's agent, made up by
// the pod controller for a pod on a simulated host.
import type { Db } from "@/lib/db/pool";
import type { StoredObject } from "@/lib/engine/object-store";

export async function recordPodUsage(db: Db, pod: Pick<StoredObject, "uid" | "namespace" | "name">, usage: { cpuNanoCores: number; memoryBytes: number }) {
  await db.query(
    `INSERT INTO pod_metrics (pod_uid, namespace, name, cpu_nano_cores, memory_bytes) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (pod_uid) DO UPDATE SET cpu_nano_cores = $4, memory_bytes = $5, observed_at = now()`,
    [pod.uid, pod.namespace, pod.name, usage.cpuNanoCores, usage.memoryBytes],
  );
}
