// Read model of alarms: the triggered ones (everywhere, or on one object), and the definitions
// Administration edits.
import "server-only";
import { getPool } from "@/lib/db/pool";
import type { AlarmStatus } from "@/lib/alarms/alarm-metrics";
import type { Kind } from "@/lib/inventory/kinds";

export interface TriggeredAlarm {
  definitionId: string;
  definitionName: string;
  objectUid: string;
  objectKind: Kind;
  objectName: string;
  objectNamespace: string;
  status: Exclude<AlarmStatus, "green">;
  message: string;
  triggeredAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface TriggeredAlarms {
  alarms: TriggeredAlarm[];
  critical: number;
  warning: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Triggered alarms, critical first, then those nobody acknowledged, then newest; on one object when `uid` is given. */
export async function readTriggeredAlarms(options: { uid?: string; limit?: number } = {}): Promise<TriggeredAlarms> {
  const pool = getPool();
  const values: unknown[] = [options.uid ?? null];
  const [rows, counts] = await Promise.all([
    pool.query<TriggeredAlarm>(
      `SELECT s.definition_id::text AS "definitionId", d.name AS "definitionName", s.object_uid::text AS "objectUid",
              s.object_kind AS "objectKind", s.object_name AS "objectName", s.object_namespace AS "objectNamespace", s.status, s.message,
              ${ISO("s.triggered_at")} AS "triggeredAt", ${ISO("s.acknowledged_at")} AS "acknowledgedAt", s.acknowledged_by AS "acknowledgedBy"
         FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id
        WHERE s.status <> 'green' AND ($1::uuid IS NULL OR s.object_uid = $1::uuid)
        ORDER BY s.status = 'red' DESC, s.acknowledged_at IS NULL DESC, s.triggered_at DESC, s.object_name, s.object_uid LIMIT ${options.limit ?? 200}`,
      values,
    ),
    pool.query<{ critical: number; warning: number }>(
      `SELECT count(*) FILTER (WHERE status = 'red')::int AS critical, count(*) FILTER (WHERE status = 'yellow')::int AS warning
         FROM alarm_states WHERE status <> 'green' AND ($1::uuid IS NULL OR object_uid = $1::uuid)`,
      values,
    ),
  ]);
  return { alarms: rows.rows, ...counts.rows[0]! };
}

export interface AlarmDefinitionView {
  id: string;
  name: string;
  description: string;
  objectKind: string;
  metric: string;
  condition: "above" | "below" | "is";
  warningThreshold: number | null;
  criticalThreshold: number | null;
  durationSeconds: number;
  severity: "warning" | "critical";
  enabled: boolean;
  builtIn: boolean;
  version: number;
  updatedBy: string | null;
  triggered: number;
}

export async function readAlarmDefinitions(): Promise<AlarmDefinitionView[]> {
  const { rows } = await getPool().query<AlarmDefinitionView>(
    `SELECT d.id::text, d.name, d.description, d.object_kind AS "objectKind", d.metric, d.condition, d.warning_threshold AS "warningThreshold",
            d.critical_threshold AS "criticalThreshold", d.duration_seconds AS "durationSeconds", d.severity, d.enabled, d.built_in AS "builtIn",
            d.version, d.updated_by AS "updatedBy",
            (SELECT count(*)::int FROM alarm_states s WHERE s.definition_id = d.id AND s.status <> 'green') AS triggered
       FROM alarm_definitions d ORDER BY d.object_kind, d.name`,
  );
  return rows;
}
