// The leader's alarm evaluation: metric definitions after every performance sample round, state and
// event definitions every second. For each enabled definition it asks SQL which objects breach it
// now (a few rows, whatever the inventory's size), then moves each alarm along: a breach starts a
// pending alarm that triggers once it has held for the definition's duration (simulated time); a
// cleared condition turns it green; an event alarm stays triggered until someone resets it. Every
// status change is an event on the object.
import { withTransaction, type Db } from "@/lib/db/pool";
import { recordEvent } from "@/lib/engine/activity";
import type { ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import type { Kind } from "@/lib/inventory/kinds";
import { alarmMetric, ALARM_STATUS_LABELS, type AlarmMetric, type AlarmMetricType, type AlarmStatus } from "@/lib/alarms/alarm-metrics";

export interface AlarmDefinitionRow {
  id: string;
  name: string;
  object_kind: string;
  metric: string;
  condition: "above" | "below" | "is";
  warning_threshold: number | null;
  critical_threshold: number | null;
  duration_seconds: number;
  severity: "warning" | "critical";
  event_cursor: string;
}

interface Breach {
  uid: string;
  kind: Kind;
  namespace: string;
  name: string;
  value: number;
}

interface StateRow {
  definition_id: string;
  object_uid: string;
  status: AlarmStatus;
  pending_since: Date | null;
  pending_status: AlarmStatus | null;
}

const SAMPLE_COLUMNS: Record<string, string> = { "cpu.usage": "cpu_pct", "mem.usage": "mem_pct", "disk.used": "storage_pct" };

const STATE_CONDITIONS: Record<string, string> = {
  "host.notResponding": `status->>'connectionState' = 'notResponding'`,
  "host.disconnected": `status->>'connectionState' = 'disconnected'`,
  "host.maintenance": `COALESCE((status->>'inMaintenanceMode')::boolean, false)`,
  "vm.poweredOff": `status->>'powerState' = 'PoweredOff'`,
  "cluster.ruleViolated": `jsonb_array_length(COALESCE(status->'ruleViolations', '[]'::jsonb)) > 0`,
};

const LIMIT_USAGE = `100 * GREATEST(
  (status->'usage'->>'cpu')::float8 / NULLIF((spec->'limits'->>'cpu')::float8, 0),
  (status->'usage'->>'memoryMiB')::float8 / NULLIF((spec->'limits'->>'memoryMiB')::float8, 0),
  (status->'usage'->>'storageGiB')::float8 / NULLIF((spec->'limits'->>'storageGiB')::float8, 0))`;

const OBJECT_COLUMNS = "r.uid::text, r.kind, r.namespace, r.name";

/** The threshold a value must pass to count as a breach at all: the milder of the two. */
function entryThreshold(definition: AlarmDefinitionRow): number | null {
  const thresholds = [definition.warning_threshold, definition.critical_threshold].filter((value): value is number => value !== null);
  if (thresholds.length === 0) return null;
  return definition.condition === "below" ? Math.max(...thresholds) : Math.min(...thresholds);
}

function passes(definition: AlarmDefinitionRow, value: number, threshold: number | null): boolean {
  if (threshold === null) return false;
  return definition.condition === "below" ? value < threshold : value > threshold;
}

export function statusFor(definition: AlarmDefinitionRow, value: number): AlarmStatus {
  if (definition.condition === "is") return definition.severity === "critical" ? "red" : "yellow";
  if (passes(definition, value, definition.critical_threshold)) return "red";
  if (passes(definition, value, definition.warning_threshold)) return "yellow";
  return "green";
}

async function percentBreaches(db: Db, definition: AlarmDefinitionRow, at: Date): Promise<Breach[]> {
  const threshold = entryThreshold(definition);
  if (threshold === null) return [];
  const comparison = definition.condition === "below" ? "<" : ">";
  if (definition.metric === "namespace.limitUsage") {
    const { rows } = await db.query<Breach>(
      `SELECT ${OBJECT_COLUMNS}, value FROM (SELECT *, ${LIMIT_USAGE} AS value FROM resources WHERE kind = $1) AS r WHERE value ${comparison} $2`,
      [definition.object_kind, threshold],
    );
    return rows;
  }
  const column = SAMPLE_COLUMNS[definition.metric];
  if (!column) return [];
  const { rows } = await db.query<Breach>(
    `SELECT ${OBJECT_COLUMNS}, s.${column} AS value FROM metric_samples s JOIN resources r ON r.uid = s.object_uid
      WHERE s.level = 0 AND s.time = (SELECT max(time) FROM metric_samples WHERE level = 0 AND time <= $3)
        AND r.kind = $1 AND s.${column} ${comparison} $2`,
    [definition.object_kind, threshold, at],
  );
  return rows;
}

async function stateBreaches(db: Db, definition: AlarmDefinitionRow): Promise<Breach[]> {
  const condition = STATE_CONDITIONS[definition.metric];
  if (!condition) return [];
  const { rows } = await db.query<Breach>(`SELECT ${OBJECT_COLUMNS}, 1 AS value FROM resources r WHERE kind = $1 AND ${condition}`, [
    definition.object_kind,
  ]);
  return rows;
}

/** Objects that had the definition's event since its cursor; the cursor moves past them. */
async function eventBreaches(db: Db, definition: AlarmDefinitionRow, metric: AlarmMetric): Promise<Breach[]> {
  const { rows: [latest] } = await db.query<{ max: string }>(`SELECT COALESCE(max(id), 0)::text AS max FROM events`);
  const cursor = definition.event_cursor;
  if (!latest || latest.max === cursor) return [];
  await db.query(`UPDATE alarm_definitions SET event_cursor = $2 WHERE id = $1`, [definition.id, latest.max]);
  // An event on a VM can alarm the VM itself or its cluster.
  const target =
    definition.object_kind === "Cluster"
      ? `JOIN resources vm ON vm.uid = e.object_uid JOIN resources r ON r.kind = 'Cluster' AND r.name = vm.labels->>'skylight.io/cluster'`
      : `JOIN resources r ON r.uid = e.object_uid AND r.kind = $4`;
  const { rows } = await db.query<Breach>(
    `SELECT DISTINCT ${OBJECT_COLUMNS}, 1 AS value FROM events e ${target}
      WHERE e.reason = $1 AND e.id > $2::bigint AND e.id <= $3::bigint${definition.object_kind === "Cluster" ? " AND $4::text IS NOT NULL" : ""}`,
    [metric.eventReason, cursor, latest.max, definition.object_kind],
  );
  return rows;
}

function describe(definition: AlarmDefinitionRow, metric: AlarmMetric, value: number): string {
  if (metric.type !== "percent") return metric.label;
  return `${metric.label.replace(" (%)", "")} ${Math.round(value)} %`;
}

async function changeStatus(db: Db, definition: AlarmDefinitionRow, object: Omit<Breach, "value">, from: AlarmStatus, to: AlarmStatus, detail: string) {
  await recordEvent(db, {
    reason: "Alarm.statusChanged",
    message: `Alarm '${definition.name}' on ${object.name} changed from ${ALARM_STATUS_LABELS[from]} to ${ALARM_STATUS_LABELS[to]}${detail ? `: ${detail}` : ""}`,
    object,
    severity: to === "red" ? "error" : to === "yellow" ? "warning" : "info",
    after: { alarm: definition.name, status: to },
  });
}

export async function evaluateDefinition(ctx: ReconcileContext, definition: AlarmDefinitionRow, at: Date): Promise<void> {
  const metric = alarmMetric(definition.metric);
  if (!metric) return;
  const breaches =
    metric.type === "percent"
      ? await percentBreaches(ctx.pool, definition, at)
      : metric.type === "state"
        ? await stateBreaches(ctx.pool, definition)
        : await eventBreaches(ctx.pool, definition, metric);
  const { rows: states } = await ctx.pool.query<StateRow>(
    `SELECT definition_id::text, object_uid::text, status, pending_since, pending_status FROM alarm_states WHERE definition_id = $1`,
    [definition.id],
  );
  const known = new Map(states.map((state) => [state.object_uid, state]));
  // Durations are simulated time, as the operations' are.
  const holdMs = ctx.config.simSpeed > 0 ? (definition.duration_seconds * 1000) / ctx.config.simSpeed : 0;

  for (const breach of breaches) {
    const state = known.get(breach.uid);
    known.delete(breach.uid);
    const next = statusFor(definition, breach.value);
    const detail = describe(definition, metric, breach.value);
    if (state && state.status === next) {
      if (state.pending_since) await ctx.pool.query(`UPDATE alarm_states SET pending_since = NULL, pending_status = NULL, value = $3 WHERE definition_id = $1 AND object_uid = $2`, [definition.id, breach.uid, breach.value]);
      continue;
    }
    const pendingSince = state?.pending_status === next ? state.pending_since! : at;
    // An event alarm triggers at once; a lower severity than the current one takes effect at once too.
    const held = metric.type === "event" || at.getTime() - pendingSince.getTime() >= holdMs || (state && rank(next) < rank(state.status));
    await withTransaction(ctx.pool, async (tx) => {
      // The round read the definition a moment ago; an administrator may be disabling or deleting
      // it now. Holding it shared until this write commits orders the two: either the write comes
      // first and the disable's own cleanup removes it, or the write sees the definition gone.
      const { rowCount: live } = await tx.query(`SELECT 1 FROM alarm_definitions WHERE id = $1 AND enabled FOR SHARE`, [definition.id]);
      if (!live) return;
      await tx.query(
        `INSERT INTO alarm_states (definition_id, object_uid, object_kind, object_namespace, object_name, status, pending_since, pending_status, triggered_at, value, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (definition_id, object_uid) DO UPDATE SET status = EXCLUDED.status, pending_since = EXCLUDED.pending_since,
           pending_status = EXCLUDED.pending_status, triggered_at = COALESCE(EXCLUDED.triggered_at, alarm_states.triggered_at),
           value = EXCLUDED.value, message = EXCLUDED.message,
           acknowledged_at = CASE WHEN EXCLUDED.status = alarm_states.status THEN alarm_states.acknowledged_at END,
           acknowledged_by = CASE WHEN EXCLUDED.status = alarm_states.status THEN alarm_states.acknowledged_by END`,
        [
          definition.id,
          breach.uid,
          breach.kind,
          breach.namespace,
          breach.name,
          held ? next : (state?.status ?? "green"),
          held ? null : pendingSince,
          held ? null : next,
          held ? at : null,
          breach.value,
          detail,
        ],
      );
      if (held) await changeStatus(tx, definition, breach, state?.status ?? "green", next, detail);
    });
  }

  // What no longer breaches: a metric or state alarm turns green; an event alarm waits for a reset.
  if (metric.type === "event") return;
  for (const state of known.values()) {
    await withTransaction(ctx.pool, async (tx) => {
      const { rows: [gone] } = await tx.query<Omit<Breach, "value">>(
        `DELETE FROM alarm_states WHERE definition_id = $1 AND object_uid = $2
         RETURNING object_uid::text AS uid, object_kind AS kind, object_namespace AS namespace, object_name AS name`,
        [definition.id, state.object_uid],
      );
      if (gone && state.status !== "green") await changeStatus(tx, definition, gone, state.status, "green", "");
    });
  }
}

const rank = (status: AlarmStatus) => ({ green: 0, yellow: 1, red: 2 })[status];

/**
 * Evaluates the enabled definitions watching one of `types` (all by default). The leader runs the
 * state and event definitions every second, so a host that stops responding raises its alarm at
 * once, and the metric ones after each sample round; the two sets never overlap.
 */
export async function evaluateAlarms(ctx: ReconcileContext, at: Date, types: readonly AlarmMetricType[] = ["percent", "state", "event"]): Promise<void> {
  // Alarms of objects that were deleted go quietly. (Disabling a definition removes its alarms
  // itself, and a round holds the definition while it writes, so none outlive a disable.)
  await ctx.pool.query(`DELETE FROM alarm_states s WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.uid = s.object_uid)`);
  const { rows } = await ctx.pool.query<AlarmDefinitionRow>(
    `SELECT id::text, name, object_kind, metric, condition, warning_threshold, critical_threshold, duration_seconds, severity, event_cursor::text
       FROM alarm_definitions WHERE enabled ORDER BY name`,
  );
  for (const definition of rows) {
    const type = alarmMetric(definition.metric)?.type;
    if (type && types.includes(type)) await evaluateDefinition(ctx, definition, at);
  }
}
