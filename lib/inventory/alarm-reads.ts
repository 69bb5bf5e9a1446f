// Read model of alarms: the triggered ones (everywhere the reader may see, or on one object) and
// their counts, and the definitions Administration edits.
import "server-only";
import { EVERYTHING, identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import type { AlarmFilter } from "@/lib/inventory/alarm-filter";
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

export interface AlarmCounts {
  critical: number;
  warning: number;
  /** Triggered and nobody has acknowledged them yet. */
  unacknowledged: number;
}

export interface TriggeredAlarms extends AlarmCounts {
  alarms: TriggeredAlarm[];
  /** How many match the filter; `alarms` holds at most the limit of them. */
  matching: number;
}

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The conditions every alarm read shares: triggered, on one object or on what the reader may see. */
function triggeredWhere(options: { uid?: string; scope: AccessScope }, values: unknown[]): string {
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = [`s.status <> 'green'`];
  if (options.uid) conditions.push(`s.object_uid = ${bind(options.uid)}::uuid`);
  // By identity: an alarm row can outlive its object until the evaluator sweeps it, so its recorded
  // namespace name decides nothing; the object's namespace is read through the live object.
  const namespaceUid = `(SELECT n.uid FROM resources o JOIN resources n ON n.kind = 'Namespace' AND n.namespace = '' AND n.name = o.namespace
                          WHERE o.uid = s.object_uid AND o.namespace <> '')`;
  conditions.push(identityVisibilitySql(options.scope, { uid: "s.object_uid", namespaceUid }, bind));
  return conditions.join(" AND ");
}

const COUNTS = `count(*) FILTER (WHERE s.status = 'red')::int AS critical, count(*) FILTER (WHERE s.status = 'yellow')::int AS warning,
                count(*) FILTER (WHERE s.acknowledged_at IS NULL)::int AS unacknowledged`;

/**
 * Triggered alarms, critical first, then those nobody acknowledged, then newest: on one object when
 * `uid` is given, otherwise everywhere the reader may see (a developer: their namespaces' objects and
 * the infrastructure those use), narrowed by the filter.
 */
export async function readTriggeredAlarms(
  options: { uid?: string; limit?: number; scope?: AccessScope; filter?: AlarmFilter } = {},
): Promise<TriggeredAlarms> {
  const pool = getPool();
  const values: unknown[] = [];
  const where = triggeredWhere({ uid: options.uid, scope: options.scope ?? EVERYTHING }, values);
  const filtered = [where];
  if (options.filter?.severity) filtered.push(`s.status = '${options.filter.severity === "critical" ? "red" : "yellow"}'`);
  if (options.filter?.acknowledged) filtered.push(`s.acknowledged_at IS ${options.filter.acknowledged === "yes" ? "NOT NULL" : "NULL"}`);
  const [rows, counts] = await Promise.all([
    pool.query<TriggeredAlarm>(
      `SELECT s.definition_id::text AS "definitionId", d.name AS "definitionName", s.object_uid::text AS "objectUid",
              s.object_kind AS "objectKind", s.object_name AS "objectName", s.object_namespace AS "objectNamespace", s.status, s.message,
              ${ISO("s.triggered_at")} AS "triggeredAt", ${ISO("s.acknowledged_at")} AS "acknowledgedAt", s.acknowledged_by AS "acknowledgedBy"
         FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id
        WHERE ${filtered.join(" AND ")}
        ORDER BY s.status = 'red' DESC, s.acknowledged_at IS NULL DESC, s.triggered_at DESC, s.object_name, s.object_uid LIMIT ${options.limit ?? 200}`,
      values,
    ),
    pool.query<AlarmCounts & { matching: number }>(
      `SELECT ${COUNTS}, count(*) FILTER (WHERE ${filtered.slice(1).join(" AND ") || "TRUE"})::int AS matching FROM alarm_states s WHERE ${where}`,
      values,
    ),
  ]);
  return { alarms: rows.rows, ...counts.rows[0]! };
}

/** How many alarms are triggered where the reader may see, for the header's alarm indicator. */
export async function readAlarmCounts(scope: AccessScope): Promise<AlarmCounts> {
  const values: unknown[] = [];
  const { rows } = await getPool().query<AlarmCounts>(`SELECT ${COUNTS} FROM alarm_states s WHERE ${triggeredWhere({ scope }, values)}`, values);
  return rows[0]!;
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
