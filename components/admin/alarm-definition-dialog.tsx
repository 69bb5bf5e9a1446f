"use client";
// Administration › Alarm Definitions › New or Edit: the object type, the metric or state it
// watches, the condition and thresholds, how long it must hold, and the severity. The metric
// list follows the object type; thresholds are for metrics, a severity for states and events.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { alarmDefinitionSchema, type AlarmDefinitionInput } from "@/lib/actions/alarms/alarm-definition-schema";
import { saveAlarmDefinition } from "@/lib/actions/alarms/save-alarm-definition";
import { ALARM_METRICS, ALARM_OBJECT_KINDS, alarmMetric } from "@/lib/alarms/alarm-metrics";
import type { AlarmDefinitionView } from "@/lib/inventory/alarm-reads";
import { ChoiceSelect } from "@/components/ui/choice-select";

const BLANK: AlarmDefinitionInput = {
  name: "",
  description: "",
  objectKind: "Host",
  metric: "cpu.usage",
  condition: "above",
  warningThreshold: 75,
  criticalThreshold: 90,
  durationSeconds: 300,
  severity: "warning",
  enabled: true,
};

const toInput = (definition: AlarmDefinitionView): AlarmDefinitionInput => ({
  name: definition.name,
  description: definition.description,
  objectKind: definition.objectKind as AlarmDefinitionInput["objectKind"],
  metric: definition.metric,
  condition: definition.condition,
  warningThreshold: definition.warningThreshold,
  criticalThreshold: definition.criticalThreshold,
  durationSeconds: definition.durationSeconds,
  severity: definition.severity,
  enabled: definition.enabled,
});

const optionalNumber = (value: unknown) => (value === "" || value === null || value === undefined ? null : Number(value));

export function AlarmDefinitionDialog({ definition, trigger }: { definition?: AlarmDefinitionView; trigger: ReactNode }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const form = useForm<AlarmDefinitionInput>({ resolver: zodResolver(alarmDefinitionSchema), defaultValues: definition ? toInput(definition) : BLANK });
  const { executeAsync, isPending, result, reset } = useAction(saveAlarmDefinition);
  const errors = form.formState.errors;
  const [kind, metricId] = useWatch({ control: form.control, name: ["objectKind", "metric"] });
  const metric = alarmMetric(metricId);
  const serverError = result.serverError;

  const onMetric = (id: string) => {
    const next = alarmMetric(id);
    form.setValue("metric", id);
    if (next?.type === "percent") {
      if (form.getValues("condition") === "is") form.setValue("condition", "above");
    } else {
      form.setValue("condition", "is");
      form.setValue("warningThreshold", null);
      form.setValue("criticalThreshold", null);
      if (next?.type === "event") form.setValue("durationSeconds", 0);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset(definition ? toInput(definition) : BLANK);
          reset();
          setConflict(null);
        }
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{definition ? `Edit Alarm Definition` : "New Alarm Definition"}</DialogTitle>
          <DialogDescription>The leader checks every definition after each 20-second sample. Durations are simulated time.</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          id="alarm-definition-form"
          className="space-y-4"
          onSubmit={form.handleSubmit(async (values) => {
            const outcome = await executeAsync({ id: definition?.id, expectedVersion: definition?.version, definition: values });
            const field = outcome?.serverError?.field;
            if (field && field in values) {
              form.setError(field as keyof AlarmDefinitionInput, { message: outcome!.serverError!.message });
              return;
            }
            if (outcome?.data?.status === "conflict") {
              setConflict(outcome.data.message);
              return;
            }
            if (outcome?.data?.status === "saved") {
              toast.success(`Alarm definition ${values.name} saved`);
              setOpen(false);
              router.refresh();
            }
          })}
        >
          {conflict && (
            <Alert variant="destructive">
              <AlertDescription className="flex items-center justify-between gap-3">
                {conflict}
                <Button type="button" size="sm" variant="outline" onClick={() => window.location.reload()}>
                  Reload
                </Button>
              </AlertDescription>
            </Alert>
          )}
          {serverError && !serverError.field && (
            <Alert variant="destructive">
              <AlertDescription>{serverError.message}</AlertDescription>
            </Alert>
          )}
          <FormField label="Name" htmlFor="alarm-name" error={errors.name?.message}>
            <Input id="alarm-name" autoComplete="off" aria-invalid={!!errors.name} {...form.register("name")} />
          </FormField>
          <FormField label="Description" htmlFor="alarm-description" error={errors.description?.message}>
            <Input id="alarm-description" autoComplete="off" {...form.register("description")} />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label="Object type" htmlFor="alarm-kind" error={errors.objectKind?.message}>
              <Controller
                control={form.control}
                name="objectKind"
                render={({ field }) => (
                  <Select
                    value={field.value}
                    onValueChange={(value) => {
                      const next = value as AlarmDefinitionInput["objectKind"];
                      field.onChange(next);
                      // Keep the metric when it applies to the new type; otherwise offer the type's first.
                      const first = ALARM_METRICS.find((candidate) => candidate.kinds.includes(next));
                      if (first && !alarmMetric(form.getValues("metric"))?.kinds.includes(next)) onMetric(first.id);
                    }}
                  >
                    <SelectTrigger id="alarm-kind" className="w-full">
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      {ALARM_OBJECT_KINDS.map((option) => (
                        <SelectItem key={option} value={option}>
                          {KIND_LABELS[option] ?? option}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                )}
              />
            </FormField>
            <FormField label="Metric or state" htmlFor="alarm-metric" error={errors.metric?.message}>
              <ChoiceSelect id="alarm-metric" value={metricId} onValueChange={onMetric} choices={ALARM_METRICS.filter((candidate) => candidate.kinds.includes(kind)).map((candidate) => ({ value: candidate.id, label: candidate.label }))} className="w-full" />
            </FormField>
          </div>
          {metric?.type === "percent" ? (
            <div className="grid gap-4 sm:grid-cols-3">
              <FormField label="Condition" htmlFor="alarm-condition" error={errors.condition?.message}>
                <Controller
                  control={form.control}
                  name="condition"
                  render={({ field }) => (
                    <Select value={field.value} onValueChange={field.onChange}>
                      <SelectTrigger id="alarm-condition" className="w-full">
                        <SelectValue />
                      </SelectTrigger>
                      <SelectContent>
                        <SelectItem value="above">Is above</SelectItem>
                        <SelectItem value="below">Is below</SelectItem>
                      </SelectContent>
                    </Select>
                  )}
                />
              </FormField>
              <FormField label="Warning at (%)" htmlFor="alarm-warning" error={errors.warningThreshold?.message}>
                <Input id="alarm-warning" type="number" min={0} step="any" aria-invalid={!!errors.warningThreshold} {...form.register("warningThreshold", { setValueAs: optionalNumber })} />
              </FormField>
              <FormField label="Critical at (%)" htmlFor="alarm-critical" error={errors.criticalThreshold?.message}>
                <Input id="alarm-critical" type="number" min={0} step="any" aria-invalid={!!errors.criticalThreshold} {...form.register("criticalThreshold", { setValueAs: optionalNumber })} />
              </FormField>
            </div>
          ) : (
            <FormField label="Severity" htmlFor="alarm-severity" error={errors.severity?.message} description={metric?.type === "event" ? "An event alarm stays triggered until someone resets it to green." : undefined}>
              <Controller
                control={form.control}
                name="severity"
                render={({ field }) => (
                  <Select value={field.value} onValueChange={field.onChange}>
                    <SelectTrigger id="alarm-severity" className="w-48">
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      <SelectItem value="warning">Warning</SelectItem>
                      <SelectItem value="critical">Critical</SelectItem>
                    </SelectContent>
                  </Select>
                )}
              />
            </FormField>
          )}
          {metric?.type !== "event" && (
            <FormField label="For at least (seconds)" htmlFor="alarm-duration" error={errors.durationSeconds?.message} description="0 triggers at the first sample that breaches. 300 is 5 minutes.">
              <Input id="alarm-duration" type="number" min={0} className="w-36" aria-invalid={!!errors.durationSeconds} {...form.register("durationSeconds", { valueAsNumber: true })} />
            </FormField>
          )}
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
            Enabled
          </label>
        </form>
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" form="alarm-definition-form" disabled={isPending}>
            {isPending ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
