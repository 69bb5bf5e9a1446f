// Writes of performance samples: one bulk INSERT per sample round, the rollups from each level
// to the next computed in SQL (averages per object per bucket, each bucket once), and the purge
// of rows past their level's retention. The engine's leader is the only writer.
import type { Db } from "@/lib/db/pool";
import { METRIC_LEVELS } from "@/lib/metrics/metric-levels";

export const METRIC_COLUMNS = [
  "cpu_mhz",
  "cpu_pct",
  "mem_consumed_mib",
  "mem_active_mib",
  "mem_pct",
  "disk_kbps",
  "net_kbps",
  "storage_used_gib",
  "storage_pct",
] as const;

export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** One object's sample, named as the inventory names it; the insert resolves the uid. */
export interface ObjectSample {
  kind: string;
  namespace: string;
  name: string;
  values: Partial<Record<MetricColumn, number>>;
}

const ORIGIN = "2000-01-01T00:00:00Z";

/** Inserts the samples at `at` into the real-time level; objects no longer in the inventory are skipped. */
export async function insertSamples(db: Db, at: Date, samples: ObjectSample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const columns = METRIC_COLUMNS.map((column) => samples.map((sample) => sample.values[column] ?? null));
  const { rowCount } = await db.query(
    `INSERT INTO metric_samples (level, object_uid, time, ${METRIC_COLUMNS.join(", ")})
     SELECT 0, r.uid, $1, ${METRIC_COLUMNS.map((column) => `s.${column}`).join(", ")}
       FROM unnest($2::text[], $3::text[], $4::text[], ${METRIC_COLUMNS.map((_, index) => `$${index + 5}::real[]`).join(", ")})
            AS s(kind, namespace, name, ${METRIC_COLUMNS.join(", ")})
       JOIN resources r ON r.kind = s.kind AND r.namespace = s.namespace AND r.name = s.name
     ON CONFLICT DO NOTHING`,
    [at, samples.map((sample) => sample.kind), samples.map((sample) => sample.namespace), samples.map((sample) => sample.name), ...columns],
  );
  return rowCount ?? 0;
}

/**
 * Rolls every complete bucket of each level up from the level before it: the average of each
 * column per object per bucket. A level's cursor (`metric_rollups`) remembers how far it got, so a
 * bucket is computed once even when the leader changes; a level starts at its source's first sample.
 */
export async function rollUp(db: Db, now: Date): Promise<void> {
  for (const target of METRIC_LEVELS.slice(1)) {
    const source = target.level - 1;
    const interval = `${target.intervalSeconds} seconds`;
    await db.query(
      `WITH bounds AS (
         SELECT COALESCE((SELECT rolled_until FROM metric_rollups WHERE level = $1),
                         date_bin($3::interval, (SELECT min(time) FROM metric_samples WHERE level = $2), $5::timestamptz)) AS from_time,
                date_bin($3::interval, $4::timestamptz, $5::timestamptz) AS to_time
       ), rolled AS (
         INSERT INTO metric_samples (level, object_uid, time, ${METRIC_COLUMNS.join(", ")})
         SELECT $1, object_uid, date_bin($3::interval, time, $5::timestamptz), ${METRIC_COLUMNS.map((column) => `avg(${column})`).join(", ")}
           FROM metric_samples, bounds
          WHERE level = $2 AND time >= bounds.from_time AND time < bounds.to_time
          GROUP BY 1, 2, 3
         ON CONFLICT DO NOTHING
       )
       INSERT INTO metric_rollups (level, rolled_until)
       SELECT $1, to_time FROM bounds WHERE from_time IS NOT NULL AND from_time < to_time
       ON CONFLICT (level) DO UPDATE SET rolled_until = EXCLUDED.rolled_until`,
      [target.level, source, interval, now, ORIGIN],
    );
  }
}

/** Deletes every sample older than its level keeps. */
export async function purgeExpired(db: Db, now: Date): Promise<number> {
  let purged = 0;
  for (const level of METRIC_LEVELS) {
    const { rowCount } = await db.query(`DELETE FROM metric_samples WHERE level = $1 AND time < $2::timestamptz - make_interval(secs => $3)`, [
      level.level,
      now,
      level.keepSeconds,
    ]);
    purged += rowCount ?? 0;
  }
  return purged;
}
