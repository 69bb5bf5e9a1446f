// Tasks (what Recent Tasks shows) and events (the audit and activity log). Operations create
// tasks inside their transaction; controllers move them along as observed state changes.
import type { Db } from "@/lib/db/pool";
import type { StoredObject } from "@/lib/engine/object-store";

export type TaskState = "queued" | "running" | "success" | "error";

export interface NewTask {
  operation: string;
  description: string;
  target: Pick<StoredObject, "kind" | "namespace" | "name"> & { uid?: string | null };
  targetGeneration?: number | null;
  initiator: string;
  state?: TaskState;
}

export async function createTask(db: Db, task: NewTask): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO tasks (operation, description, target_kind, target_namespace, target_name, target_uid, target_generation, initiator, state,
                        started_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             CASE WHEN $9 <> 'queued' THEN now() END, CASE WHEN $9 IN ('success', 'error') THEN now() END)
     RETURNING id::text`,
    [
      task.operation,
      task.description,
      task.target.kind,
      task.target.namespace,
      task.target.name,
      task.target.uid ?? null,
      task.targetGeneration ?? null,
      task.initiator,
      task.state ?? "queued",
    ],
  );
  return rows[0]!.id;
}

/** Open tasks of an object: the ones a controller may progress or finish. */
export async function openTasks(db: Db, targetUid: string) {
  const { rows } = await db.query<{ id: string; operation: string; target_generation: number | null; state: TaskState }>(
    `SELECT id::text, operation, target_generation::int, state FROM tasks
      WHERE target_uid = $1 AND state IN ('queued', 'running') ORDER BY queued_at`,
    [targetUid],
  );
  return rows;
}

export async function progressTasks(db: Db, taskIds: string[], progress: number, message: string | null): Promise<void> {
  if (taskIds.length === 0) return;
  await db.query(
    `UPDATE tasks SET state = 'running', started_at = COALESCE(started_at, now()),
                      progress = GREATEST(progress, $2), progress_message = $3
      WHERE id = ANY($1::uuid[]) AND state IN ('queued', 'running')`,
    [taskIds, Math.max(0, Math.min(99, Math.round(progress))), message],
  );
}

export async function finishTasks(db: Db, taskIds: string[], outcome: { error?: string; result?: string } = {}): Promise<void> {
  if (taskIds.length === 0) return;
  await db.query(
    `UPDATE tasks SET state = $2, progress = CASE WHEN $2 = 'success' THEN 100 ELSE progress END, error = $3, result = $4,
                      started_at = COALESCE(started_at, now()), completed_at = now(), progress_message = NULL
      WHERE id = ANY($1::uuid[]) AND state IN ('queued', 'running')`,
    [taskIds, outcome.error ? "error" : "success", outcome.error ?? null, outcome.error ? null : (outcome.result ?? null)],
  );
}

/** What an event is about: an inventory object, or an alarm definition (audit of Administration's changes). */
export type EventObjectKind = StoredObject["kind"] | "AlarmDefinition" | "TagCategory" | "Tag" | "CustomAttribute";

export interface NewEvent {
  reason: string;
  message: string;
  object: { kind: EventObjectKind; namespace: string; name: string; uid?: string | null };
  severity?: "info" | "warning" | "error";
  actor?: string | null;
  taskId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records the event; returns its id. */
export async function recordEvent(db: Db, event: NewEvent): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO events (severity, reason, message, object_kind, object_namespace, object_name, object_uid, actor, task_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id::text`,
    [
      event.severity ?? "info",
      event.reason,
      event.message,
      event.object.kind,
      event.object.namespace,
      event.object.name,
      event.object.uid ?? null,
      event.actor ?? null,
      event.taskId ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
    ],
  );
  return rows[0]!.id;
}

/** Finishes an object's open tasks whose target generation has been reached (one statement). */
export async function finishReachedTasks(db: Db, targetUid: string, generation: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE tasks SET state = 'success', progress = 100, started_at = COALESCE(started_at, now()), completed_at = now(), progress_message = NULL
      WHERE target_uid = $1 AND state IN ('queued', 'running') AND (target_generation IS NULL OR target_generation <= $2)`,
    [targetUid, generation],
  );
  return rowCount ?? 0;
}

/** finishReachedTasks for many objects, each with its own generation, in one statement. */
export async function finishReachedTasksOfMany(db: Db, targets: { uid: string; generation: number }[]): Promise<void> {
  if (targets.length === 0) return;
  await db.query(
    `UPDATE tasks SET state = 'success', progress = 100, started_at = COALESCE(started_at, now()), completed_at = now(), progress_message = NULL
       FROM unnest($1::uuid[], $2::int[]) AS reached(uid, generation)
      WHERE target_uid = ANY($1::uuid[]) AND target_uid = reached.uid AND state IN ('queued', 'running')
        AND (target_generation IS NULL OR target_generation <= reached.generation)`,
    [targets.map((target) => target.uid), targets.map((target) => target.generation)],
  );
}

/** Records many events in one statement (no audit before/after, no task: what controllers report). */
export async function recordEvents(db: Db, events: Omit<NewEvent, "taskId" | "before" | "after">[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO events (severity, reason, message, object_kind, object_namespace, object_name, object_uid, actor)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[])`,
    [
      events.map((event) => event.severity ?? "info"),
      events.map((event) => event.reason),
      events.map((event) => event.message),
      events.map((event) => event.object.kind),
      events.map((event) => event.object.namespace),
      events.map((event) => event.object.name),
      events.map((event) => event.object.uid ?? null),
      events.map((event) => event.actor ?? null),
    ],
  );
}

/** Creates a task and its audit event together, in one statement; returns the task's id. */
export async function createTaskWithEvent(db: Db, task: NewTask, event: Omit<NewEvent, "taskId" | "object">): Promise<string> {
  // Prepared: every write of desired state runs it.
  const { rows } = await db.query<{ id: string }>({
    name: "task-with-event",
    text: `WITH task AS (
       INSERT INTO tasks (operation, description, target_kind, target_namespace, target_name, target_uid, target_generation, initiator, state,
                          progress, started_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $15,
               CASE WHEN $15 = 'success' THEN 100 ELSE 0 END, CASE WHEN $15 <> 'queued' THEN now() END, CASE WHEN $15 IN ('success', 'error') THEN now() END)
       RETURNING id)
     INSERT INTO events (severity, reason, message, object_kind, object_namespace, object_name, object_uid, actor, task_id, before, after)
     SELECT $9, $10, $11, $3, $4, $5, $6, $12, task.id, $13, $14 FROM task
     RETURNING task_id::text AS id`,
    values: [
      task.operation,
      task.description,
      task.target.kind,
      task.target.namespace,
      task.target.name,
      task.target.uid ?? null,
      task.targetGeneration ?? null,
      task.initiator,
      event.severity ?? "info",
      event.reason,
      event.message,
      event.actor ?? null,
      event.before === undefined ? null : JSON.stringify(event.before),
      event.after === undefined ? null : JSON.stringify(event.after),
      task.state ?? "queued",
    ],
  });
  return rows[0]!.id;
}
