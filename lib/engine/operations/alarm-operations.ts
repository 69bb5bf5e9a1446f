// Writes of alarm configuration and alarm state by people: create and edit a definition
// (optimistic on its version), acknowledge a triggered alarm, reset one to green. The leader's
// evaluator (lib/engine/alarm-evaluator.ts) does everything else. Each writes an event.
import type pg from "pg";
import { assertCan } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { recordEvent } from "@/lib/engine/activity";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { alarmDefinitionSchema, type AlarmDefinitionInput } from "@/lib/actions/alarms/alarm-definition-schema";
import { ALARM_STATUS_LABELS, type AlarmStatus } from "@/lib/alarms/alarm-metrics";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { Kind } from "@/lib/inventory/kinds";

function parse(input: AlarmDefinitionInput): AlarmDefinitionInput {
  const parsed = alarmDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(String(issue.path[0] ?? "name"), `${String(issue.path[0] ?? "Definition")} ${issue.message}`);
  }
  return parsed.data;
}

const COLUMNS = [
  "name",
  "description",
  "object_kind",
  "metric",
  "condition",
  "warning_threshold",
  "critical_threshold",
  "duration_seconds",
  "severity",
  "enabled",
] as const;

const valuesOf = (definition: AlarmDefinitionInput) => [
  definition.name,
  definition.description,
  definition.objectKind,
  definition.metric,
  definition.condition,
  definition.warningThreshold,
  definition.criticalThreshold,
  definition.durationSeconds,
  definition.severity,
  definition.enabled,
];

function duplicateName(error: unknown, name: string): never {
  if ((error as { code?: string }).code === "23505") throw new InvalidInputError("name", `An alarm definition named "${name}" already exists.`);
  throw error;
}

/** Creates a definition; it watches events from now on, never replaying earlier ones. */
export async function createAlarmDefinition(actor: OperationActor, input: AlarmDefinitionInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "alarms.manage");
  const definition = parse(input);
  try {
    const { rows } = await pool.query<{ id: string; version: number }>(
      `INSERT INTO alarm_definitions (${COLUMNS.join(", ")}, updated_by, event_cursor)
       VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(", ")}, $${COLUMNS.length + 1}, (SELECT COALESCE(max(id), 0) FROM events))
       RETURNING id::text, version`,
      [...valuesOf(definition), actor.username],
    );
    return rows[0]!;
  } catch (error) {
    duplicateName(error, definition.name);
  }
}

/** Edits a definition if it is still at `expectedVersion`; its alarms are evaluated afresh by the next round. */
export async function updateAlarmDefinition(
  actor: OperationActor,
  id: string,
  expectedVersion: number,
  input: AlarmDefinitionInput,
  pool: pg.Pool = getPool(),
): Promise<{ id: string; version: number }> {
  assertCan(actor, "alarms.manage");
  const definition = parse(input);
  return withTransaction(pool, async (tx) => {
    const { rows: [current] } = await tx.query<{ version: number; name: string; metric: string; object_kind: string }>(
      `SELECT version, name, metric, object_kind FROM alarm_definitions WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!current) throw new NotFoundError("That alarm definition no longer exists.");
    if (current.version !== expectedVersion) throw new ConflictError("Alarm definition", current.name, String(current.version));
    // A definition that now watches something else starts its alarms over.
    if (current.metric !== definition.metric || current.object_kind !== definition.objectKind) {
      await tx.query(`DELETE FROM alarm_states WHERE definition_id = $1`, [id]);
    }
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `UPDATE alarm_definitions SET ${COLUMNS.map((column, index) => `${column} = $${index + 2}`).join(", ")},
                version = version + 1, updated_by = $${COLUMNS.length + 2}, updated_at = now()
          WHERE id = $1 RETURNING id::text, version`,
        [id, ...valuesOf(definition), actor.username],
      );
      return rows[0]!;
    } catch (error) {
      duplicateName(error, definition.name);
    }
  });
}

interface AlarmTarget {
  definitionId: string;
  objectUid: string;
}

async function lockTriggered(tx: pg.PoolClient, target: AlarmTarget) {
  const { rows: [alarm] } = await tx.query<{ name: string; status: AlarmStatus; object_kind: Kind; object_namespace: string; object_name: string; acknowledged_at: Date | null }>(
    `SELECT d.name, s.status, s.object_kind, s.object_namespace, s.object_name, s.acknowledged_at
       FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id
      WHERE s.definition_id = $1 AND s.object_uid = $2 AND s.status <> 'green' FOR UPDATE OF s`,
    [target.definitionId, target.objectUid],
  );
  if (!alarm) throw new NotFoundError("This alarm is no longer triggered: it has cleared or someone reset it.");
  return { ...alarm, object: { kind: alarm.object_kind, namespace: alarm.object_namespace, name: alarm.object_name, uid: target.objectUid } };
}

export async function acknowledgeAlarm(actor: OperationActor, target: AlarmTarget, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "inventory.operate");
  await withTransaction(pool, async (tx) => {
    const alarm = await lockTriggered(tx, target);
    if (alarm.acknowledged_at) return;
    await tx.query(`UPDATE alarm_states SET acknowledged_at = now(), acknowledged_by = $3 WHERE definition_id = $1 AND object_uid = $2`, [
      target.definitionId,
      target.objectUid,
      actor.username,
    ]);
    await recordEvent(tx, {
      reason: "Alarm.acknowledged",
      message: `${actor.username} acknowledged alarm '${alarm.name}' on ${alarm.object.name}`,
      object: alarm.object,
      actor: actor.username,
    });
  });
}

/** Sets the alarm back to green; if its condition still holds, it triggers again after its duration. */
export async function resetAlarmToGreen(actor: OperationActor, target: AlarmTarget, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "inventory.operate");
  await withTransaction(pool, async (tx) => {
    const alarm = await lockTriggered(tx, target);
    await tx.query(`DELETE FROM alarm_states WHERE definition_id = $1 AND object_uid = $2`, [target.definitionId, target.objectUid]);
    await recordEvent(tx, {
      reason: "Alarm.statusChanged",
      message: `${actor.username} reset alarm '${alarm.name}' on ${alarm.object.name} from ${ALARM_STATUS_LABELS[alarm.status]} to ${ALARM_STATUS_LABELS.green}`,
      object: alarm.object,
      actor: actor.username,
      after: { alarm: alarm.name, status: "green" },
    });
  });
}
