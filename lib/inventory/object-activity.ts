// Read model of an object's Monitor tab: the tasks that targeted it and the events about it,
// newest first, a page at a time (an object can have thousands of events).
import "server-only";
import { getPool } from "@/lib/db/pool";
import { isUid } from "@/lib/inventory/object-view";

export const ACTIVITY_PAGE_SIZE = 25;

export interface ObjectTaskRow {
  id: string;
  description: string;
  state: string;
  progress: number;
  error: string | null;
  initiator: string;
  queuedAt: string;
  completedAt: string | null;
}

export interface ObjectEventRow {
  id: string;
  time: string;
  severity: string;
  reason: string;
  message: string;
  actor: string | null;
  taskId: string | null;
}

export interface ActivityPage<Row> {
  rows: Row[];
  total: number;
  page: number;
  size: number;
}

const offsetOf = (page: number) => (Math.max(1, page) - 1) * ACTIVITY_PAGE_SIZE;

export async function readObjectTasks(uid: string, page: number): Promise<ActivityPage<ObjectTaskRow>> {
  if (!isUid(uid)) return { rows: [], total: 0, page, size: ACTIVITY_PAGE_SIZE };
  const pool = getPool();
  const [rows, count] = await Promise.all([
    pool.query<ObjectTaskRow>(
      `SELECT id::text, description, state, progress, error, initiator,
              to_char(queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "queuedAt",
              to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"
         FROM tasks WHERE target_uid = $1 ORDER BY queued_at DESC LIMIT $2 OFFSET $3`,
      [uid, ACTIVITY_PAGE_SIZE, offsetOf(page)],
    ),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks WHERE target_uid = $1`, [uid]),
  ]);
  return { rows: rows.rows, total: count.rows[0]!.total, page, size: ACTIVITY_PAGE_SIZE };
}
