// Compaction of the watch change log: rows older than the retention are deleted and the highest
// resourceVersion deleted becomes the compaction point, below which a watch gets 410 Gone (the
// client then lists again, as informers do). Every API process runs it; the statements are
// idempotent, so several at once do no harm.
import type pg from "pg";
import { logError } from "@/lib/log/rate-limited-log";

export async function compactChanges(db: pg.Pool, retentionSeconds: number): Promise<void> {
  await db.query(
    `WITH removed AS (DELETE FROM resource_changes WHERE recorded_at < now() - make_interval(secs => $1) RETURNING resource_version)
     INSERT INTO system_settings (key, value)
     SELECT 'kube.compactedResourceVersion', max(resource_version)::text FROM removed HAVING count(*) > 0
     ON CONFLICT (key) DO UPDATE SET value = GREATEST(system_settings.value::bigint, EXCLUDED.value::bigint)::text`,
    [retentionSeconds],
  );
}

export function startCompaction(db: pg.Pool, options: { retentionSeconds: number }): { stop(): void } {
  const intervalMs = Math.min(60_000, Math.max(1_000, (options.retentionSeconds * 1000) / 4));
  const timer = setInterval(() => {
    compactChanges(db, options.retentionSeconds).catch((error: Error) => logError("[kube] compaction", error));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
