// Rules for an alarm definition, shared by Administration's form, its server action and the
// engine operation: the metric must apply to the object type, a metric has thresholds in its
// direction, a state or event has a severity and no duration to wait for an event.
import { z } from "zod";
import { ALARM_OBJECT_KINDS, alarmMetric } from "@/lib/alarms/alarm-metrics";

const threshold = z.number({ error: "must be a number from 0 to 1000" }).min(0, "must be 0 or more").max(1000, "must be at most 1000").nullable();

export const alarmDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    description: z.string().trim().max(300, "must be at most 300 characters"),
    objectKind: z.enum(ALARM_OBJECT_KINDS, { error: "must be a host, VM, cluster, datastore or namespace" }),
    metric: z.string().min(1, "is required"),
    condition: z.enum(["above", "below", "is"], { error: "must be above, below or is" }),
    warningThreshold: threshold,
    criticalThreshold: threshold,
    durationSeconds: z.number({ error: "must be a whole number of seconds" }).int("must be a whole number of seconds").min(0, "must be 0 or more").max(86_400, "must be at most a day (86,400 seconds)"),
    severity: z.enum(["warning", "critical"], { error: "must be Warning or Critical" }),
    enabled: z.boolean(),
  })
  .superRefine((definition, context) => {
    const metric = alarmMetric(definition.metric);
    const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (!metric) return issue("metric", "is not a metric or state Skylight watches");
    if (!metric.kinds.includes(definition.objectKind)) return issue("metric", `does not apply to a ${definition.objectKind}`);
    if (metric.type === "percent") {
      if (definition.condition === "is") return issue("condition", "must be above or below for a metric");
      const { warningThreshold: warning, criticalThreshold: critical } = definition;
      if (warning === null && critical === null) return issue("warningThreshold", "needs a warning or a critical threshold");
      if (warning !== null && critical !== null && (definition.condition === "above" ? critical <= warning : critical >= warning)) {
        return issue("criticalThreshold", `must be ${definition.condition === "above" ? "above" : "below"} the warning threshold`);
      }
    } else {
      if (definition.condition !== "is") return issue("condition", "must be \"is\" for a state or an event");
      if (metric.type === "event" && definition.durationSeconds > 0) return issue("durationSeconds", "must be 0: an event happens once");
    }
  });

export type AlarmDefinitionInput = z.infer<typeof alarmDefinitionSchema>;

export const saveAlarmDefinitionInputSchema = z.object({
  id: z.uuid().optional(),
  /** The version the form opened; an edit of a definition someone else changed since is refused. */
  expectedVersion: z.number().int().optional(),
  definition: alarmDefinitionSchema,
});

export const alarmTargetSchema = z.object({ definitionId: z.uuid(), objectUid: z.uuid() });

/** One definition as the list showed it: an enable, disable or delete of a version someone changed since is refused. */
export const alarmDefinitionRefSchema = z.object({ id: z.uuid(), expectedVersion: z.number().int() });
