// What an edit changed in an alarm definition, in the words of the Administration form, for the
// audit event ("duration At once → 5 min; warning threshold 85 % → 80 %").
import type { AlarmDefinitionInput } from "@/lib/actions/alarms/alarm-definition-schema";
import { alarmMetric } from "@/lib/alarms/alarm-metrics";

type Field = keyof AlarmDefinitionInput;

const percent = (value: unknown) => (value === null ? "none" : `${String(value)} %`);
const quoted = (value: unknown) => (value === "" ? "(empty)" : `'${String(value)}'`);

export function formatDuration(seconds: number): string {
  if (seconds === 0) return "At once";
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

const FIELDS: { field: Field; label: string; format: (value: never) => string }[] = [
  { field: "name", label: "name", format: quoted },
  { field: "description", label: "description", format: quoted },
  { field: "objectKind", label: "object type", format: String },
  { field: "metric", label: "watches", format: (id: string) => alarmMetric(id)?.label ?? id },
  { field: "condition", label: "condition", format: String },
  { field: "warningThreshold", label: "warning threshold", format: percent },
  { field: "criticalThreshold", label: "critical threshold", format: percent },
  { field: "durationSeconds", label: "duration", format: formatDuration },
  { field: "severity", label: "severity", format: (severity: string) => (severity === "critical" ? "Critical" : "Warning") },
  { field: "enabled", label: "status", format: (enabled: boolean) => (enabled ? "Enabled" : "Disabled") },
];

/** Each changed field as "label before → after", in the form's order; empty when nothing changed. */
export function alarmDefinitionChanges(before: AlarmDefinitionInput, after: AlarmDefinitionInput): string[] {
  return FIELDS.filter(({ field }) => before[field] !== after[field]).map(
    ({ field, label, format }) => `${label} ${format(before[field] as never)} → ${format(after[field] as never)}`,
  );
}
