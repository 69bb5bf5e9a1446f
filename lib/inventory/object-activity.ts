// Read model of an object's Monitor tab: the tasks that targeted it and the events about it,
// newest first, a page at a time (an object can have thousands of events). Only tasks the reader
// may see (identityVisibilitySql).
import "server-only";
import { identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { cursorRows } from "@/lib/db/cursor-rows";
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

/** Where a 1-based page of ACTIVITY_PAGE_SIZE rows starts. */
export const activityOffset = (page: number) => (Math.max(1, page) - 1) * ACTIVITY_PAGE_SIZE;

/** An ObjectTaskRow's columns of the tasks table, whose alias (with its dot) is `alias`. */
export const taskColumns = (alias = "") => `${alias}id::text, ${alias}description, ${alias}state, ${alias}progress, ${alias}error, ${alias}initiator,
              to_char(${alias}queued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "queuedAt",
              to_char(${alias}completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "completedAt"`;

const TASK_COLUMNS = taskColumns();

/** The tasks that targeted the object and the reader may see, as a WHERE condition with its values. */
function objectTaskCondition(uid: string, access: AccessScope): { where: string; values: unknown[] } {
  const values: unknown[] = [uid];
  const where = `target_uid = $1 AND ${identityVisibilitySql(access, { uid: "target_uid", namespaceUid: "target_namespace_uid" }, (value) => `$${values.push(value)}`)}`;
  return { where, values };
}

export async function readObjectTasks(uid: string, page: number, access: AccessScope): Promise<ActivityPage<ObjectTaskRow>> {
  if (!isUid(uid)) return { rows: [], total: 0, page, size: ACTIVITY_PAGE_SIZE };
  const pool = getPool();
  const { where, values } = objectTaskCondition(uid, access);
  const [rows, count] = await Promise.all([
    pool.query<ObjectTaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE ${where} ORDER BY queued_at DESC LIMIT ${ACTIVITY_PAGE_SIZE} OFFSET ${activityOffset(page)}`, values),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks WHERE ${where}`, values),
  ]);
  return { rows: rows.rows, total: count.rows[0]!.total, page, size: ACTIVITY_PAGE_SIZE };
}

/** Every task that targeted the object and the reader may see, newest first, `chunkSize` at a time through a cursor. */
export function readObjectTaskExport(uid: string, access: AccessScope, chunkSize: number): AsyncGenerator<ObjectTaskRow[]> {
  const { where, values } = objectTaskCondition(uid, access);
  return cursorRows<ObjectTaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE ${where} ORDER BY queued_at DESC, id`, values, chunkSize);
}
