// Read model of Monitor › Performance: one object's samples over a time range, from the finest
// rollup level that still covers the range's start, so a chart never reads more than a few
// hundred rows (a month is 360 two-hour averages).
import "server-only";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { timestampParam } from "@/lib/http/search-params";
import { levelFor, METRIC_LEVELS } from "@/lib/metrics/metric-levels";

export const PERFORMANCE_RANGES = ["realtime", "day", "week", "month", "custom"] as const;
export type PerformanceRange = (typeof PERFORMANCE_RANGES)[number];

const RANGE_SECONDS: Record<Exclude<PerformanceRange, "custom">, number> = { realtime: 3_600, day: 86_400, week: 7 * 86_400, month: 30 * 86_400 };

export const performanceQuerySchema = z
  .object({
    range: z.enum(PERFORMANCE_RANGES).catch("realtime"),
    from: timestampParam.optional().catch(undefined),
    to: timestampParam.optional().catch(undefined),
    /** A rollup level chosen in Performance › Advanced; without it, the finest that covers the range. */
    level: z
      .enum(
        METRIC_LEVELS.map((level) => String(level.level)),
        `level must be a statistics level: ${METRIC_LEVELS.map((level) => `${level.level} (${level.label})`).join(", ")}`,
      )
      .transform(Number)
      .optional(),
  })
  .refine((query) => query.range !== "custom" || (query.from && query.to && query.from < query.to), {
    message: "A custom range needs a start before its end.",
    path: ["from"],
  });

export type PerformanceQuery = z.infer<typeof performanceQuerySchema>;

export interface PerformancePoint {
  time: string;
  cpuMhz: number | null;
  cpuPct: number | null;
  memConsumedMiB: number | null;
  memActiveMiB: number | null;
  memPct: number | null;
  diskKBps: number | null;
  netKBps: number | null;
  storageUsedGiB: number | null;
  storagePct: number | null;
}

export interface PerformanceSeries {
  from: string;
  to: string;
  level: number;
  intervalSeconds: number;
  levelLabel: string;
  /** The object's first sample at this level, however old: how much history there is. */
  since: string | null;
  points: PerformancePoint[];
}

export async function readPerformance(uid: string, query: PerformanceQuery, now = new Date()): Promise<PerformanceSeries> {
  const to = query.range === "custom" ? new Date(query.to!) : now;
  const from = query.range === "custom" ? new Date(query.from!) : new Date(now.getTime() - RANGE_SECONDS[query.range] * 1000);
  const level = query.level === undefined ? levelFor((now.getTime() - from.getTime()) / 1000) : METRIC_LEVELS[query.level]!;
  const pool = getPool();
  const [{ rows }, first] = await Promise.all([
    pool.query<PerformancePoint>(
      `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, cpu_mhz AS "cpuMhz", cpu_pct AS "cpuPct",
              mem_consumed_mib AS "memConsumedMiB", mem_active_mib AS "memActiveMiB", mem_pct AS "memPct", disk_kbps AS "diskKBps",
              net_kbps AS "netKBps", storage_used_gib AS "storageUsedGiB", storage_pct AS "storagePct"
         FROM metric_samples WHERE level = $1 AND object_uid = $2::uuid AND time >= $3 AND time <= $4 ORDER BY time`,
      [level.level, uid, from, to],
    ),
    pool.query<{ since: string }>(
      `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since FROM metric_samples WHERE level = $1 AND object_uid = $2::uuid ORDER BY time LIMIT 1`,
      [level.level, uid],
    ),
  ]);
  return { from: from.toISOString(), to: to.toISOString(), level: level.level, intervalSeconds: level.intervalSeconds, levelLabel: level.label, since: first.rows[0]?.since ?? null, points: rows };
}
