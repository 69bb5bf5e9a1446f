// Read model of the Events views (an object's Monitor › Events and the global Monitor › Events):
// newest first, a page at a time, filtered by severity, event type, object name, user and time
// range. Each filter has an index that leads with it and ends with time, so a filtered page of
// 200,000 events is an index range scan. Only events the reader may see (identityVisibilitySql).
import "server-only";
import { identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import type { EventObjectKind } from "@/lib/engine/activity";
import { cursorRows } from "@/lib/db/cursor-rows";
import { getPool } from "@/lib/db/pool";
import { ACTIVITY_PAGE_SIZE, activityOffset, type ActivityPage, type ObjectEventRow } from "@/lib/inventory/object-activity";
import type { EventFilter } from "@/lib/inventory/event-filter";
import { containsPattern } from "@/lib/db/like-pattern";

export interface EventRow extends ObjectEventRow {
  objectKind: EventObjectKind;
  objectName: string;
  objectNamespace: string;
  objectUid: string | null;
}

/** The WHERE clause of the events a filter keeps and the reader may see, with its values. */
function eventConditions(filter: EventFilter & { uid?: string }, access: AccessScope): { clause: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (param: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.uid) add((p) => `object_uid = ${p}::uuid`, filter.uid);
  if (filter.severity) add((p) => `severity = ${p}`, filter.severity);
  if (filter.type) add((p) => `reason = ${p}`, filter.type);
  if (filter.user) add((p) => (filter.user === "System" ? `(actor IS NULL OR actor = ${p})` : `actor = ${p}`), filter.user);
  if (filter.object) add((p) => `object_name ILIKE ${p}`, containsPattern(filter.object));
  if (filter.from) add((p) => `time >= ${p}::timestamptz`, filter.from);
  if (filter.to) add((p) => `time < ${p}::timestamptz`, filter.to);
  if (!access.all) where.push(identityVisibilitySql(access, { uid: "object_uid", namespaceUid: "object_namespace_uid" }, (value) => `$${values.push(value)}`));
  return { clause: where.length ? `WHERE ${where.join(" AND ")}` : "", values };
}

const EVENT_COLUMNS = `id::text, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, severity, reason, message, actor,
              task_id::text AS "taskId", object_kind AS "objectKind", object_name AS "objectName", object_namespace AS "objectNamespace",
              object_uid::text AS "objectUid"`;

export async function readEvents(filter: EventFilter & { uid?: string }, page: number, access: AccessScope): Promise<ActivityPage<EventRow>> {
  const { clause, values } = eventConditions(filter, access);
  const pool = getPool();
  const [rows, count] = await Promise.all([
    pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS}
         FROM events ${clause} ORDER BY time DESC, id DESC LIMIT ${ACTIVITY_PAGE_SIZE} OFFSET ${activityOffset(page)}`,
      values,
    ),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM events ${clause}`, values),
  ]);
  return { rows: rows.rows, total: count.rows[0]!.total, page, size: ACTIVITY_PAGE_SIZE };
}

/** Every event a filter keeps and the reader may see, newest first, `chunkSize` at a time through a cursor. */
export function readEventExport(filter: EventFilter & { uid?: string }, access: AccessScope, chunkSize: number): AsyncGenerator<EventRow[]> {
  const { clause, values } = eventConditions(filter, access);
  return cursorRows<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events ${clause} ORDER BY time DESC, id DESC`, values, chunkSize);
}

/** The event types recorded so far, for the filter's choices. */
export async function readEventTypes(): Promise<string[]> {
  // A loose index scan: one index probe per distinct reason instead of reading every event.
  const { rows } = await getPool().query<{ reason: string }>(
    `WITH RECURSIVE reasons AS (
       (SELECT reason FROM events ORDER BY reason LIMIT 1)
       UNION ALL
       SELECT (SELECT reason FROM events WHERE reason > reasons.reason ORDER BY reason LIMIT 1) FROM reasons WHERE reasons.reason IS NOT NULL)
     SELECT reason FROM reasons WHERE reason IS NOT NULL`,
  );
  return rows.map((row) => row.reason);
}
