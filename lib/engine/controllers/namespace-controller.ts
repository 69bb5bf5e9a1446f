// The Namespace controller: usage of CPU, memory and storage by the namespace's VMs, against the
// namespace's limits.
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { finishReachedTasks } from "@/lib/engine/activity";
import { getObject, writeStatus, type ObjectKey } from "@/lib/engine/object-store";
import type { NamespaceSpec } from "@/lib/engine/schemas";
import { sameJson } from "@/lib/engine/same-json";

export interface NamespaceStatus {
  phase?: "Active" | "Terminating";
  usage?: { vms: number; cpu: number; memoryMiB: number; storageGiB: number };
  conditions?: Condition[];
  observedGeneration?: number;
}

export async function reconcileNamespace(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const namespace = await getObject<NamespaceSpec, NamespaceStatus>(ctx.pool, key);
  if (!namespace) return DONE;
  const { rows } = await ctx.pool.query<{ vms: number; cpu: number; memory: number; storage: number }>(
    `SELECT count(*)::int AS vms,
            COALESCE(sum((status->'allocation'->>'cpus')::int), 0)::int AS cpu,
            COALESCE(sum((status->'allocation'->>'memoryMiB')::int), 0)::int AS memory,
            COALESCE(sum((status->'hardware'->>'diskGiB')::int), 0)::int AS storage
       FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1`,
    [namespace.name],
  );
  const usage = rows[0]!;
  const limits = namespace.spec.limits ?? {};
  const over = [
    limits.cpu !== undefined && usage.cpu > limits.cpu ? `CPU ${usage.cpu} of ${limits.cpu} vCPUs` : null,
    limits.memoryMiB !== undefined && usage.memory > limits.memoryMiB ? `memory ${usage.memory} of ${limits.memoryMiB} MiB` : null,
    limits.storageGiB !== undefined && usage.storage > limits.storageGiB ? `storage ${usage.storage} of ${limits.storageGiB} GiB` : null,
  ].filter(Boolean);
  const now = ctx.now();
  let conditions = setCondition(namespace.status.conditions, "Ready", "True", "Ready", "", now);
  conditions = setCondition(conditions, "WithinLimits", over.length ? "False" : "True", over.length ? "OverLimit" : "WithinLimits", over.length ? `Over the limit: ${over.join(", ")}.` : "", now);
  conditions = setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", now);
  const status: NamespaceStatus = {
    ...namespace.status,
    phase: namespace.deletionTimestamp ? "Terminating" : "Active",
    usage: { vms: usage.vms, cpu: usage.cpu, memoryMiB: usage.memory, storageGiB: usage.storage },
    conditions,
    observedGeneration: namespace.generation,
  };
  if (!sameJson(status, namespace.status)) await writeStatus(ctx.pool, namespace, status);
  await finishReachedTasks(ctx.pool, namespace.uid, namespace.generation);
  return DONE;
}
