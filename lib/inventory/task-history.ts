// Read model of the Tasks view (vCenter's Monitor › Tasks over the whole inventory): every task
// the reader may see, newest first, a page at a time or as export chunks, narrowed by status, by
// who started it and by its target's name. Only tasks the reader may see (identityVisibilitySql):
// a task outlives its target, so the identities it recorded decide.
import "server-only";
import { identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { cursorRows } from "@/lib/db/cursor-rows";
import { getPool } from "@/lib/db/pool";
import { ACTIVITY_PAGE_SIZE, activityOffset, taskColumns, type ActivityPage, type ObjectTaskRow } from "@/lib/inventory/object-activity";
import { TASK_STATUSES, type TaskHistoryFilter } from "@/lib/inventory/task-history-filter";
import { containsPattern } from "@/lib/db/like-pattern";

export interface TaskHistoryRow extends ObjectTaskRow {
  targetKind: string;
  /** namespace/name inside a namespace, else the name. */
  targetName: string;
  /** The target's uid while it exists: a deleted VM's tasks stay, its link does not. */
  targetUid: string | null;
}

const COLUMNS = `${taskColumns("t.")},
              t.target_kind AS "targetKind",
              CASE WHEN t.target_namespace = '' THEN t.target_name ELSE t.target_namespace || '/' || t.target_name END AS "targetName",
              r.uid::text AS "targetUid"`;

const FROM = `FROM tasks t LEFT JOIN resources r ON r.uid = t.target_uid`;

function taskConditions(filter: TaskHistoryFilter, access: AccessScope): { clause: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => `$${values.push(value)}`;
  if (filter.status) where.push(`t.state = ANY(${bind(TASK_STATUSES[filter.status].states)}::text[])`);
  if (filter.initiator) where.push(`t.initiator = ${bind(filter.initiator)}`);
  if (filter.target) where.push(`t.target_name ILIKE ${bind(containsPattern(filter.target))}`);
  if (!access.all) where.push(identityVisibilitySql(access, { uid: "t.target_uid", namespaceUid: "t.target_namespace_uid" }, bind));
  return { clause: where.length ? `WHERE ${where.join(" AND ")}` : "", values };
}

export async function readTaskHistory(filter: TaskHistoryFilter, page: number, access: AccessScope): Promise<ActivityPage<TaskHistoryRow>> {
  const { clause, values } = taskConditions(filter, access);
  const pool = getPool();
  const [rows, count] = await Promise.all([
    pool.query<TaskHistoryRow>(`SELECT ${COLUMNS} ${FROM} ${clause} ORDER BY t.queued_at DESC, t.id LIMIT ${ACTIVITY_PAGE_SIZE} OFFSET ${activityOffset(page)}`, values),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks t ${clause}`, values),
  ]);
  return { rows: rows.rows, total: count.rows[0]!.total, page, size: ACTIVITY_PAGE_SIZE };
}

/** Every task the filter keeps and the reader may see, newest first, `chunkSize` at a time through a cursor. */
export function readTaskHistoryExport(filter: TaskHistoryFilter, access: AccessScope, chunkSize: number): AsyncGenerator<TaskHistoryRow[]> {
  const { clause, values } = taskConditions(filter, access);
  return cursorRows<TaskHistoryRow>(`SELECT ${COLUMNS} ${FROM} ${clause} ORDER BY t.queued_at DESC, t.id`, values, chunkSize);
}
