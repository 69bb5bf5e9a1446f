// Writes of alarm configuration and alarm state by people: create, edit, enable or disable and
// delete a definition (optimistic on its version; built-in ones can be disabled but not deleted,
// as in vCenter), acknowledge a triggered alarm, reset one to green. The leader's evaluator
// (lib/engine/alarm-evaluator.ts) does everything else. Each writes an event saying who did what.
import type pg from "pg";
import { assertCan } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { recordEvent } from "@/lib/engine/activity";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { alarmDefinitionSchema, type AlarmDefinitionInput } from "@/lib/actions/alarms/alarm-definition-schema";
import { alarmDefinitionChanges } from "@/lib/alarms/alarm-definition-changes";
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

/** Where a definition's audit events are filed: the definition itself, by name (it is not an inventory object). */
const definitionObject = (name: string) => ({ kind: "AlarmDefinition" as const, namespace: "", name });

const CURRENT = `SELECT ${COLUMNS.join(", ")}, version, built_in FROM alarm_definitions WHERE id = $1 FOR UPDATE`;

interface DefinitionRow {
  name: string;
  description: string;
  object_kind: AlarmDefinitionInput["objectKind"];
  metric: string;
  condition: AlarmDefinitionInput["condition"];
  warning_threshold: number | null;
  critical_threshold: number | null;
  duration_seconds: number;
  severity: AlarmDefinitionInput["severity"];
  enabled: boolean;
  version: number;
  built_in: boolean;
}

const inputOf = (row: DefinitionRow): AlarmDefinitionInput => ({
  name: row.name,
  description: row.description,
  objectKind: row.object_kind,
  metric: row.metric,
  condition: row.condition,
  warningThreshold: row.warning_threshold,
  criticalThreshold: row.critical_threshold,
  durationSeconds: row.duration_seconds,
  severity: row.severity,
  enabled: row.enabled,
});

/** The definition, locked, if it is still at `expectedVersion`. */
async function lockDefinition(tx: pg.PoolClient, id: string, expectedVersion: number): Promise<DefinitionRow> {
  const { rows: [current] } = await tx.query<DefinitionRow>(CURRENT, [id]);
  if (!current) throw new NotFoundError("That alarm definition no longer exists.");
  if (current.version !== expectedVersion) throw new ConflictError("Alarm definition", current.name, String(current.version));
  return current;
}

/** Creates a definition; it watches events from now on, never replaying earlier ones. */
export async function createAlarmDefinition(actor: OperationActor, input: AlarmDefinitionInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "alarms.manage");
  const definition = parse(input);
  return withTransaction(pool, async (tx) => {
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `INSERT INTO alarm_definitions (${COLUMNS.join(", ")}, updated_by, event_cursor)
         VALUES (${COLUMNS.map((_, index) => `$${index + 1}`).join(", ")}, $${COLUMNS.length + 1}, (SELECT COALESCE(max(id), 0) FROM events))
         RETURNING id::text, version`,
        [...valuesOf(definition), actor.username],
      );
      await recordEvent(tx, {
        reason: "AlarmDefinition.created",
        message: `${actor.username} created alarm definition '${definition.name}'${definition.enabled ? "" : " (disabled)"}`,
        object: definitionObject(definition.name),
        actor: actor.username,
        after: definition,
      });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, definition.name);
    }
  });
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
    const current = await lockDefinition(tx, id, expectedVersion);
    const before = inputOf(current);
    const changes = alarmDefinitionChanges(before, definition);
    if (changes.length === 0) return { id, version: current.version };
    // A definition that now watches something else starts its alarms over; a disabled one has none.
    if (current.metric !== definition.metric || current.object_kind !== definition.objectKind || !definition.enabled) {
      await tx.query(`DELETE FROM alarm_states WHERE definition_id = $1`, [id]);
    }
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `UPDATE alarm_definitions SET ${COLUMNS.map((column, index) => `${column} = $${index + 2}`).join(", ")},
                version = version + 1, updated_by = $${COLUMNS.length + 2}, updated_at = now()
          WHERE id = $1 RETURNING id::text, version`,
        [id, ...valuesOf(definition), actor.username],
      );
      await recordEvent(tx, {
        reason: "AlarmDefinition.changed",
        message: `${actor.username} changed alarm definition '${current.name}': ${changes.join("; ")}`,
        object: definitionObject(definition.name),
        actor: actor.username,
        before,
        after: definition,
      });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, definition.name);
    }
  });
}

/** Turns a definition on or off; a disabled definition's alarms go with it. */
export async function setAlarmDefinitionEnabled(
  actor: OperationActor,
  input: { id: string; expectedVersion: number; enabled: boolean },
  pool: pg.Pool = getPool(),
): Promise<{ id: string; version: number }> {
  assertCan(actor, "alarms.manage");
  return withTransaction(pool, async (tx) => {
    const current = await lockDefinition(tx, input.id, input.expectedVersion);
    if (current.enabled === input.enabled) return { id: input.id, version: current.version };
    if (!input.enabled) await tx.query(`DELETE FROM alarm_states WHERE definition_id = $1`, [input.id]);
    const { rows } = await tx.query<{ id: string; version: number }>(
      `UPDATE alarm_definitions SET enabled = $2, version = version + 1, updated_by = $3, updated_at = now() WHERE id = $1 RETURNING id::text, version`,
      [input.id, input.enabled, actor.username],
    );
    await recordEvent(tx, {
      reason: input.enabled ? "AlarmDefinition.enabled" : "AlarmDefinition.disabled",
      message: `${actor.username} ${input.enabled ? "enabled" : "disabled"} alarm definition '${current.name}'`,
      object: definitionObject(current.name),
      actor: actor.username,
      before: { enabled: current.enabled },
      after: { enabled: input.enabled },
    });
    return rows[0]!;
  });
}

/** Deletes a definition someone added, and with it every alarm it has triggered. Built-in ones can only be disabled. */
export async function deleteAlarmDefinition(actor: OperationActor, input: { id: string; expectedVersion: number }, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "alarms.manage");
  await withTransaction(pool, async (tx) => {
    const current = await lockDefinition(tx, input.id, input.expectedVersion);
    if (current.built_in) throw new InvalidInputError("id", `'${current.name}' is built in and cannot be deleted; disable it instead.`);
    const { rowCount } = await tx.query(`DELETE FROM alarm_states WHERE definition_id = $1 AND status <> 'green'`, [input.id]);
    await tx.query(`DELETE FROM alarm_definitions WHERE id = $1`, [input.id]);
    await recordEvent(tx, {
      reason: "AlarmDefinition.deleted",
      message: `${actor.username} deleted alarm definition '${current.name}'${rowCount ? `; its ${rowCount === 1 ? "triggered alarm was" : `${rowCount} triggered alarms were`} removed` : ""}`,
      object: definitionObject(current.name),
      actor: actor.username,
      before: inputOf(current),
    });
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
