// The work only the leader does, on timers: notice hosts whose heartbeats stopped or resumed (HA
// monitor), ask clusters for a DRS pass, and resync everything periodically so drift made behind
// Skylight's back is found and repaired. Each only enqueues keys; the controllers do the work.
import type pg from "pg";
import { withTransaction } from "@/lib/db/pool";
import { DRS_REQUESTED_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { heartbeatStopped } from "@/lib/engine/controllers/host-controller";
import { getObject, listObjects, writeMetadata } from "@/lib/engine/object-store";
import { enqueue, RECONCILE_CHANNEL } from "@/lib/engine/reconcile-queue";
import type { ClusterSpec } from "@/lib/engine/schemas";

/**
 * Enqueues the hosts whose recorded connection state disagrees with their heartbeat. Only a host
 * that stopped heartbeating or is recorded as not connected can disagree, so the check reads those
 * few and not all 2,500 hosts of a full-size inventory every second.
 */
export async function checkHeartbeats(ctx: ReconcileContext): Promise<void> {
  const now = ctx.now().getTime();
  const stale = new Set((await ctx.provider.staleHosts(new Date(now - ctx.config.haGraceMs))).map((host) => host.name));
  const { rows } = await ctx.pool.query<{ name: string; state: string | null; disconnected: boolean }>(
    `SELECT name, status->>'connectionState' AS state, COALESCE((spec->>'disconnected')::boolean, false) AS disconnected FROM resources
      WHERE kind = 'Host' AND (name = ANY($1::text[]) OR status->>'connectionState' IS DISTINCT FROM 'connected')`,
    [[...stale]],
  );
  const changed: string[] = [];
  for (const row of rows) {
    // A host the operator disconnected is not monitored.
    let expected = row.disconnected ? "disconnected" : "notResponding";
    if (!stale.has(row.name) && !row.disconnected) {
      const observed = await ctx.provider.findHost(row.name);
      // A host the provider no longer has is the Host controller's to notice, on its next pass.
      if (!observed) continue;
      expected = heartbeatStopped(observed, new Date(now), ctx.config.haGraceMs) ? "notResponding" : "connected";
    }
    if (row.state !== expected) changed.push(`Host//${row.name}`);
  }
  await enqueue(ctx.pool, changed);
}

export async function requestDrsPasses(ctx: ReconcileContext): Promise<void> {
  const clusters = await listObjects<ClusterSpec, unknown>(ctx.pool, "Cluster", `(spec->'drs'->>'enabled')::boolean`);
  const stamp = ctx.now().toISOString();
  for (const cluster of clusters) {
    await withTransaction(ctx.pool, async (tx) => {
      // Locked and read again: the cluster's controller may have written its status since the list.
      const current = await getObject(tx, cluster, { forUpdate: true });
      if (!current) return;
      await writeMetadata(tx, current, { annotations: { ...current.annotations, [DRS_REQUESTED_ANNOTATION]: stamp } });
      await enqueue(tx, `Cluster//${cluster.name}`);
    });
  }
}

/**
 * Re-queues every reconciled object to find drift. With `spreadMs`, each key is due at a random
 * moment within that window instead of all at once, so a resync of 45,000 VMs is a steady trickle
 * the console does not feel; a key already due sooner keeps its earlier time. Keys are locked in
 * order, as every queue statement locks them.
 */
export async function resyncAll(pool: pg.Pool, spreadMs = 0): Promise<number> {
  const { rowCount } = await pool.query(
    `INSERT INTO reconcile_queue (key, run_at)
       SELECT kind || '/' || namespace || '/' || name, now() + random() * make_interval(secs => $1::float8 / 1000) FROM resources
        WHERE kind IN ('VirtualMachine', 'Host', 'Cluster', 'Namespace')
        ORDER BY 1
     ON CONFLICT (key) DO UPDATE SET run_at = LEAST(reconcile_queue.run_at, EXCLUDED.run_at),
       dirty = reconcile_queue.dirty OR (reconcile_queue.lease_until IS NOT NULL AND reconcile_queue.lease_until > now())`,
    [spreadMs],
  );
  await pool.query(`SELECT pg_notify($1, '')`, [RECONCILE_CHANNEL]);
  return rowCount ?? 0;
}
