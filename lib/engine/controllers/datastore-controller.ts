// The Datastore controller: free space and the hosts that mount it, as the provider observes them
// (free is capacity less what the VMs' disks, their snapshots and other files take). The leader's
// sample round reads every datastore in one grouped query and enqueues only those whose recorded
// status is out of date, so a converged inventory costs no reconciles.
import { withTransaction, type Db } from "@/lib/db/pool";
import { finishReachedTasks } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, writeStatus, type ObjectKey } from "@/lib/engine/object-store";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sameJson } from "@/lib/engine/same-json";
import type { ProviderDatastore } from "@/lib/provider/provider";

export interface DatastoreStatus {
  freeGiB?: number;
  hosts?: string[];
  conditions?: Condition[];
  observedGeneration?: number;
}

/** Free space as vSphere reports it: never below zero, even when thin disks overcommit the datastore. */
export function freeGiBOf(datastore: ProviderDatastore): number {
  return Math.max(0, Math.round(datastore.capacityGiB - datastore.usedGiB));
}

export async function reconcileDatastore(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const datastore = await getObject<unknown, DatastoreStatus>(ctx.pool, key);
  if (!datastore) return DONE;
  const observed = await ctx.provider.findDatastore(datastore.name);
  const now = ctx.now();
  const status: DatastoreStatus = observed
    ? {
        ...datastore.status,
        freeGiB: freeGiBOf(observed),
        hosts: observed.hosts,
        conditions: setCondition(setCondition(datastore.status.conditions, "Ready", "True", "Ready", "", now), "Synced", "True", "ReconcileSuccess", "", now),
        observedGeneration: datastore.generation,
      }
    : {
        ...datastore.status,
        conditions: setCondition(datastore.status.conditions, "Ready", "False", "NotFound", `The infrastructure has no datastore named ${datastore.name}.`, now),
      };
  if (!sameJson(status, datastore.status)) await withTransaction(ctx.pool, (tx) => writeStatus(tx, datastore, status));
  // Refresh Capacity Information's task: the datastore has just been observed.
  await finishReachedTasks(ctx.pool, datastore.uid, datastore.generation);
  return DONE;
}

/** Enqueues the datastores whose recorded free space or hosts differ from what was just observed. */
export async function enqueueChangedDatastores(db: Db, observed: ProviderDatastore[]): Promise<number> {
  if (observed.length === 0) return 0;
  const { rows } = await db.query<{ key: string }>(
    `SELECT 'Datastore//' || r.name AS key
       FROM jsonb_to_recordset($1::jsonb) AS o(name text, free int, hosts jsonb)
       JOIN resources r ON r.kind = 'Datastore' AND r.namespace = '' AND r.name = o.name
      WHERE (r.status->>'freeGiB')::numeric IS DISTINCT FROM o.free OR r.status->'hosts' IS DISTINCT FROM o.hosts`,
    [JSON.stringify(observed.map((datastore) => ({ name: datastore.name, free: freeGiBOf(datastore), hosts: datastore.hosts })))],
  );
  await enqueue(db, rows.map((row) => row.key));
  return rows.length;
}
