"use client";
// Cluster › Configure › vSphere DRS: on or off, automation level and migration threshold, in
// the vSphere Client's words.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { Controller, useForm, useWatch } from "react-hook-form";
import { SettingsSection, useSettingsEdit } from "@/components/objects/configure/settings-edit";
import { FormField } from "@/components/ui/form-field";
import { Label } from "@/components/ui/label";
import { DRS_AUTOMATION_LEVELS, drsSettingsSchema, type DrsAutomationLevel, type DrsSettings } from "@/lib/actions/clusters/cluster-settings-schemas";
import { configureDrs } from "@/lib/actions/clusters/configure-drs";
import type { ObjectView } from "@/lib/inventory/object-view";
import { ChoiceSelect } from "@/components/ui/choice-select";

const AUTOMATION: Record<DrsAutomationLevel, { label: string; description: string }> = {
  manual: {
    label: "Manual",
    description: "DRS generates both power-on placement recommendations and migration recommendations for virtual machines. Recommendations need to be manually applied or ignored.",
  },
  partiallyAutomated: {
    label: "Partially Automated",
    description: "DRS automatically places virtual machines onto hosts at VM power on. Migration recommendations need to be manually applied or ignored.",
  },
  fullyAutomated: {
    label: "Fully Automated",
    description: "DRS automatically places virtual machines onto hosts at VM power on, and virtual machines are automatically migrated from one host to another to optimize resource utilization.",
  },
};

const THRESHOLDS: Record<number, string> = {
  1: "Conservative: DRS applies only recommendations that must be taken to satisfy cluster constraints, such as host maintenance.",
  2: "DRS provides recommendations when workloads are extremely imbalanced or virtual machine demand is not being satisfied on the current host.",
  3: "DRS provides recommendations when workloads are moderately imbalanced. This threshold is suggested for environments with stable workloads. (Default)",
  4: "DRS provides recommendations when workloads are fairly imbalanced. This threshold is suggested for environments with bursty workloads.",
  5: "Aggressive: DRS provides recommendations when workloads are even slightly imbalanced and marginal improvement may be realized. For dynamic workloads this may generate frequent vMotion recommendations.",
};

function drsOf(object: ObjectView): DrsSettings {
  const drs = (object.spec.drs ?? {}) as Partial<DrsSettings>;
  return { enabled: drs.enabled ?? true, automationLevel: drs.automationLevel ?? "fullyAutomated", migrationThreshold: drs.migrationThreshold ?? 3 };
}

export function DrsSettingsSection({ object, canEdit }: { object: ObjectView; canEdit: boolean }) {
  const form = useForm<DrsSettings>({ resolver: zodResolver(drsSettingsSchema), defaultValues: drsOf(object) });
  const edit = useSettingsEdit(object.uid, form, drsOf);
  const { executeAsync, isPending } = useAction(configureDrs);
  const current = drsOf(object);
  const threshold = useWatch({ control: form.control, name: "migrationThreshold" });
  const automationLevel = useWatch({ control: form.control, name: "automationLevel" });
  const errors = form.formState.errors;

  return (
    <SettingsSection
      title="vSphere DRS"
      summary={`vSphere DRS is Turned ${current.enabled ? "ON" : "OFF"}`}
      facts={[
        ["DRS Automation", AUTOMATION[current.automationLevel].label],
        ["Migration Threshold", `${current.migrationThreshold} of 5 — ${THRESHOLDS[current.migrationThreshold]}`],
      ]}
      canEdit={canEdit}
      edit={edit}
      onEdit={() => edit.open(object)}
      formLabel="Edit vSphere DRS"
      pending={isPending}
      onSubmit={form.handleSubmit(async (drs) =>
        edit.settle(await executeAsync({ name: object.name, expectedGeneration: edit.openedGeneration!, drs }), `vSphere DRS of ${object.name} reconfigured`),
      )}
    >
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
        vSphere DRS
      </label>
      <FormField label="Automation level" htmlFor="drs-automation" error={errors.automationLevel?.message} description={AUTOMATION[automationLevel]?.description}>
        <Controller
          control={form.control}
          name="automationLevel"
          render={({ field }) => (
            <ChoiceSelect id="drs-automation" value={field.value} onValueChange={field.onChange} choices={DRS_AUTOMATION_LEVELS.map((level) => ({ value: level, label: AUTOMATION[level].label }))} className="w-64" />
          )}
        />
      </FormField>
      <div className="grid gap-1.5">
        <Label htmlFor="drs-threshold" className={errors.migrationThreshold ? "text-destructive" : undefined}>
          Migration threshold: {threshold}
        </Label>
        <input
          id="drs-threshold"
          type="range"
          min={1}
          max={5}
          step={1}
          className="w-80 accent-primary"
          aria-valuetext={`${threshold} of 5`}
          aria-describedby="drs-threshold-description"
          {...form.register("migrationThreshold", { valueAsNumber: true })}
        />
        <div className="flex w-80 justify-between text-xs text-muted-foreground" aria-hidden>
          <span>Conservative</span>
          <span>Aggressive</span>
        </div>
        <p id="drs-threshold-description" className="max-w-xl text-xs text-muted-foreground">
          {THRESHOLDS[threshold]}
        </p>
        {errors.migrationThreshold && (
          <p role="alert" className="text-xs text-destructive">
            Migration threshold {errors.migrationThreshold.message}
          </p>
        )}
      </div>
    </SettingsSection>
  );
}
