// Read models of tasks: the Recent Tasks pane (everyone's or one initiator's newest tasks) and a
// task's page (the task, and the events it wrote or that happened to its target meanwhile).
import { identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/prisma";

export type TaskState = "queued" | "running" | "success" | "error";

export interface TaskView {
  id: string;
  description: string;
  operation: string;
  targetKind: string;
  targetName: string;
  /** Set only while the target still exists, so it can be linked. */
  targetUid: string | null;
  state: TaskState;
  progress: number;
  progressMessage: string | null;
  /** What the finished task measured, if anything. */
  result: string | null;
  error: string | null;
  initiator: string;
  queuedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface TaskEventView {
  id: string;
  time: string;
  severity: string;
  reason: string;
  message: string;
  actor: string | null;
  objectKind: string;
  objectName: string;
  /** Written by this task, rather than something else that happened to its target meanwhile. */
  fromThisTask: boolean;
}

export interface TaskDetail {
  task: TaskView;
  events: TaskEventView[];
}

interface TaskRow {
  id: string;
  description: string;
  operation: string;
  target_kind: string;
  target_namespace: string;
  target_name: string;
  target_uid: string | null;
  state: TaskState;
  progress: number;
  progress_message: string | null;
  result: string | null;
  error: string | null;
  initiator: string;
  queued_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

// The target's uid only while the object is there: a deleted VM's tasks stay, its link does not.
const TASK_COLUMNS = Prisma.sql`t.id::text, t.description, t.operation, t.target_kind, t.target_namespace, t.target_name,
  r.uid::text AS target_uid, t.state, t.progress, t.progress_message, t.result, t.error, t.initiator, t.queued_at, t.started_at, t.completed_at`;

function toView(row: TaskRow): TaskView {
  return {
    id: row.id,
    description: row.description,
    operation: row.operation,
    targetKind: row.target_kind,
    targetName: row.target_namespace ? `${row.target_namespace}/${row.target_name}` : row.target_name,
    targetUid: row.target_uid,
    state: row.state,
    progress: row.progress,
    progressMessage: row.progress_message,
    result: row.result,
    error: row.error,
    initiator: row.initiator,
    queuedAt: row.queued_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/** The newest tasks; with `initiator`, only the tasks that user started. */
export async function readRecentTasks({ initiator, limit = 50, access }: { initiator?: string; limit?: number; access: AccessScope }): Promise<TaskView[]> {
  const rows = await prisma.$queryRaw<TaskRow[]>`
    SELECT ${TASK_COLUMNS}
      FROM tasks t LEFT JOIN resources r ON r.uid = t.target_uid
     WHERE ${initiator === undefined ? Prisma.sql`true` : Prisma.sql`t.initiator = ${initiator}`}
       AND ${visibleTasks(access)}
     ORDER BY t.queued_at DESC
     LIMIT ${limit}`;
  return rows.map(toView);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A condition of identityVisibilitySql as a Prisma fragment. */
function visibleTo(access: AccessScope, columns: { uid: string; namespaceUid: string }) {
  const values: unknown[] = [];
  const sql = identityVisibilitySql(access, columns, (value) => {
    values.push(value);
    return "\u0000";
  });
  return Prisma.sql(sql.split("\u0000"), ...values);
}

/** Tasks the reader may see: a task outlives its target, so the identities it recorded decide. */
const visibleTasks = (access: AccessScope) => visibleTo(access, { uid: "t.target_uid", namespaceUid: "t.target_namespace_uid" });

/** A task and its events, or null for an id that names no task the reader can see. */
export async function readTaskDetail(id: string, access: AccessScope): Promise<TaskDetail | null> {
  if (!UUID.test(id)) return null;
  const [row] = await prisma.$queryRaw<(TaskRow & { raw_target_uid: string | null })[]>`
    SELECT ${TASK_COLUMNS}, t.target_uid::text AS raw_target_uid
      FROM tasks t LEFT JOIN resources r ON r.uid = t.target_uid
     WHERE t.id = ${id}::uuid AND ${visibleTasks(access)}`;
  if (!row) return null;
  // The target's own events from a minute before the task until a minute after it ended.
  const events = await prisma.$queryRaw<
    { id: string; time: Date; severity: string; reason: string; message: string; actor: string | null; object_kind: string; object_namespace: string; object_name: string; task_id: string | null }[]
  >`
    SELECT id::text, time, severity, reason, message, actor, object_kind, object_namespace, object_name, task_id::text
      FROM events
     WHERE (task_id = ${id}::uuid
            OR (object_uid = ${row.raw_target_uid}::uuid
                AND time BETWEEN ${row.queued_at}::timestamptz - interval '1 minute' AND COALESCE(${row.completed_at}::timestamptz, now()) + interval '1 minute'))
       AND ${visibleTo(access, { uid: "object_uid", namespaceUid: "object_namespace_uid" })}
     ORDER BY time, id
     LIMIT 200`;
  return {
    task: toView(row),
    events: events.map((event) => ({
      id: event.id,
      time: event.time.toISOString(),
      severity: event.severity,
      reason: event.reason,
      message: event.message,
      actor: event.actor,
      objectKind: event.object_kind,
      objectName: event.object_namespace ? `${event.object_namespace}/${event.object_name}` : event.object_name,
      fromThisTask: event.task_id === id,
    })),
  };
}
