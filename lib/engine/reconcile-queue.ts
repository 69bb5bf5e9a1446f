// The durable reconcile queue, in the manner of client-go's workqueue but in PostgreSQL: one row
// per object key. A key is leased to one worker at a time; a trigger that arrives while it is
// leased marks it dirty, so exactly one more pass follows, at the earliest time the triggers asked
// for (a roll-up's asks for a second from now, so a busy roll-up runs once a second, not back to
// back); triggers that arrive while it waits collapse into the one row. A crashed worker's lease
// simply expires.
import type pg from "pg";
import { withTransaction, type Db } from "@/lib/db/pool";

export const RECONCILE_CHANNEL = "skylight_reconcile";

/** Enqueue inside the caller's transaction, so the trigger commits with the write or not at all. */
export async function enqueue(db: Db, keys: string | string[], runAt: Date | null = null): Promise<void> {
  const list = Array.isArray(keys) ? keys : [keys];
  if (list.length === 0) return;
  // One round trip: the upsert, and a NOTIFY (delivered at commit) when the work is due now.
  // Rows are locked in key order, as extendLeases locks them, so two statements touching the
  // same keys wait for each other instead of deadlocking.
  await db.query({
    name: "queue-enqueue",
    text: `WITH queued AS (
       INSERT INTO reconcile_queue (key, run_at)
         SELECT key, COALESCE($2::timestamptz, now()) FROM (SELECT DISTINCT unnest($1::text[]) AS key) AS keys ORDER BY key
       ON CONFLICT (key) DO UPDATE
         -- A leased row's run_at is when its running pass was due: the first trigger during the
         -- pass replaces it with the time that trigger asks for.
         SET run_at = CASE WHEN reconcile_queue.lease_until > now() AND NOT reconcile_queue.dirty THEN EXCLUDED.run_at
                           ELSE LEAST(reconcile_queue.run_at, EXCLUDED.run_at) END,
             dirty = reconcile_queue.dirty OR (reconcile_queue.lease_until IS NOT NULL AND reconcile_queue.lease_until > now())
       RETURNING 1)
     SELECT pg_notify($3, '') WHERE $2::timestamptz IS NULL OR $2::timestamptz <= now()`,
    values: [list, runAt, RECONCILE_CHANNEL],
  });
}

/** Roll-ups (cluster, namespace) need not follow every VM change: at most one pass per interval. */
export const ROLLUP_DELAY_MS = 1_000;

/**
 * Asks for roll-up passes outside any transaction: every VM of a cluster touches the cluster's one
 * queue row, and holding its lock until a VM's transaction commits would serialize them all. A
 * roll-up lost to a crash here is recomputed at the next resync; it writes no desired state.
 * A key already waiting for a pass no later than this one asks is left alone: called after the
 * caller's commit, any pass that starts from now on sees what it wrote, and in a burst of VM
 * changes the namespace's and cluster's rows would otherwise be rewritten (and flushed) for each.
 */
export async function enqueueRollups(pool: Db, keys: string[]): Promise<void> {
  const runAt = new Date(Date.now() + ROLLUP_DELAY_MS);
  const { rows } = await pool.query<{ key: string }>({
    name: "queue-rollups-waiting",
    text: `SELECT key FROM reconcile_queue WHERE key = ANY($1::text[]) AND (lease_until IS NULL OR lease_until < now()) AND run_at <= $2`,
    values: [keys, runAt],
  });
  const waiting = new Set(rows.map((row) => row.key));
  await enqueue(pool, keys.filter((key) => !waiting.has(key)), runAt);
}

export interface Lease {
  key: string;
  attempts: number;
}

/** Which keys a claim takes: VMs' (claimed in batches), every other kind's, or any. */
export type ClaimScope = "vms" | "others" | "any";

// Each scope's keys have their own index on run_at (a partial one, whose predicate the query repeats
// word for word so the planner can use it), so a claim walks only the keys it may take. run_at keeps
// milliseconds, rounded, so a key made due "now" can be stored up to half a millisecond ahead: a
// claim counts a key due within the next millisecond as due, or a claim right after would miss it
// and wait for the next poll.
const SCOPE_PREDICATES: Record<ClaimScope, string> = {
  vms: `AND key LIKE 'VirtualMachine/%'`,
  others: `AND key NOT LIKE 'VirtualMachine/%'`,
  any: "",
};

/** Leases up to `limit` due keys of the scope that no live worker holds. */
export async function claim(db: Db, workerId: string, limit: number, leaseSeconds: number, scope: ClaimScope = "any"): Promise<Lease[]> {
  const { rows } = await db.query<Lease>({
    name: `queue-claim-${scope}`,
    text: `UPDATE reconcile_queue AS q
        SET leased_by = $1, lease_until = now() + make_interval(secs => $3), dirty = false
      WHERE q.key IN (
        SELECT key FROM reconcile_queue
         WHERE run_at <= now() + interval '1 millisecond' AND (lease_until IS NULL OR lease_until < now()) ${SCOPE_PREDICATES[scope]}
         ORDER BY run_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
      RETURNING q.key, q.attempts`,
    values: [workerId, limit, leaseSeconds],
  });
  return rows;
}

/** Keeps leases alive while long reconciles run. */
export async function extendLeases(db: Db, workerId: string, keys: string[], leaseSeconds: number): Promise<void> {
  if (keys.length === 0) return;
  await db.query(
    `UPDATE reconcile_queue SET lease_until = now() + make_interval(secs => $3)
      WHERE key IN (SELECT key FROM reconcile_queue WHERE leased_by = $1 AND key = ANY($2) ORDER BY key FOR UPDATE)`,
    [workerId, keys, leaseSeconds],
  );
}

export type Outcome =
  | { kind: "done" }
  | { kind: "requeueAfter"; ms: number }
  | { kind: "retry"; error: string; backoffMs: number }
  | { kind: "terminal"; error: string };

// Releases leases by their outcomes. Finished and not triggered meanwhile: the row goes. Anything
// else is released to run again, a dirty key when its triggers asked and no later than its own
// outcome asks.
const RELEASE = `
  WITH outcome AS (
    SELECT * FROM unnest($2::text[], $3::boolean[], $4::float8[], $5::boolean[], $6::text[]) AS o(key, finished, delay_ms, failed, error)),
  removed AS (
    DELETE FROM reconcile_queue AS q USING outcome AS o
     WHERE q.key = o.key AND q.leased_by = $1 AND o.finished AND NOT q.dirty)
  UPDATE reconcile_queue AS q
     SET leased_by = NULL, lease_until = NULL,
         run_at = CASE WHEN o.finished THEN GREATEST(q.run_at, now())
                       WHEN q.dirty THEN LEAST(GREATEST(q.run_at, now()), now() + make_interval(secs => o.delay_ms / 1000.0))
                       ELSE now() + make_interval(secs => o.delay_ms / 1000.0) END,
         dirty = false,
         attempts = CASE WHEN o.finished THEN 0 WHEN o.failed THEN q.attempts + 1 ELSE q.attempts END,
         last_error = o.error
    FROM outcome AS o
   WHERE q.key = o.key AND q.leased_by = $1 AND (NOT o.finished OR q.dirty)`;

function releaseValues(workerId: string, outcomes: { key: string; outcome: Outcome }[]): unknown[] {
  return [
    workerId,
    outcomes.map((each) => each.key),
    outcomes.map(({ outcome }) => outcome.kind === "done" || outcome.kind === "terminal"),
    outcomes.map(({ outcome }) => (outcome.kind === "requeueAfter" ? outcome.ms : outcome.kind === "retry" ? outcome.backoffMs : 0)),
    outcomes.map(({ outcome }) => outcome.kind === "retry"),
    outcomes.map(({ outcome }) => (outcome.kind === "retry" || outcome.kind === "terminal" ? outcome.error : null)),
  ];
}

/**
 * Releases the lease. A dirty key (triggered while leased) runs again when its triggers asked,
 * and no later than its own outcome asks. Attempts count failures since the key last finished
 * cleanly, so backoff keeps growing across passes that merely wait for a provider operation.
 */
export async function complete(db: Db, workerId: string, key: string, outcome: Outcome): Promise<void> {
  await db.query(RELEASE, releaseValues(workerId, [{ key, outcome }]));
}

/** complete() for many leases of this worker, in one transaction that locks their rows in key order. */
export async function completeMany(pool: pg.Pool, workerId: string, outcomes: { key: string; outcome: Outcome }[]): Promise<void> {
  if (outcomes.length === 0) return;
  const sorted = [...outcomes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await withTransaction(pool, async (tx) => {
    await tx.query(`SELECT 1 FROM reconcile_queue WHERE key = ANY($1::text[]) AND leased_by = $2 ORDER BY key FOR UPDATE`, [sorted.map((each) => each.key), workerId]);
    await tx.query(RELEASE, releaseValues(workerId, sorted));
  });
}

/** Exponential backoff with jitter, per key: 0.5–1× of base·2^attempts, capped. */
export function backoffMs(attempts: number, baseMs = 250, capMs = 5 * 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
