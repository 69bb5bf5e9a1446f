"use client";
// Cluster › Configure › vSphere Availability: vSphere HA on or off, and how many host failures
// the cluster keeps capacity for.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useForm } from "react-hook-form";
import { SettingsSection, useSettingsEdit } from "@/components/objects/configure/settings-edit";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { haSettingsSchema, type HaSettings } from "@/lib/actions/clusters/cluster-settings-schemas";
import { configureHa } from "@/lib/actions/clusters/configure-ha";
import type { ObjectView } from "@/lib/inventory/object-view";

function haOf(object: ObjectView): HaSettings {
  const ha = (object.spec.ha ?? {}) as Partial<HaSettings>;
  return { enabled: ha.enabled ?? true, hostFailuresToTolerate: ha.hostFailuresToTolerate ?? 1 };
}

export function HaSettingsSection({ object, canEdit }: { object: ObjectView; canEdit: boolean }) {
  const form = useForm<HaSettings>({ resolver: zodResolver(haSettingsSchema), defaultValues: haOf(object) });
  const edit = useSettingsEdit(object.uid, form, haOf);
  const { executeAsync, isPending } = useAction(configureHa);
  const current = haOf(object);
  const errors = form.formState.errors;

  return (
    <SettingsSection
      title="vSphere Availability"
      summary={`vSphere HA is Turned ${current.enabled ? "ON" : "OFF"}`}
      facts={[
        ["Host failure response", current.enabled ? "Restart VMs on other hosts" : "Disabled"],
        ["Host failures cluster tolerates", String(current.hostFailuresToTolerate)],
      ]}
      canEdit={canEdit}
      edit={edit}
      onEdit={() => edit.open(object)}
      formLabel="Edit vSphere Availability"
      pending={isPending}
      onSubmit={form.handleSubmit(async (ha) =>
        edit.settle(await executeAsync({ name: object.name, expectedGeneration: edit.openedGeneration!, ha }), `vSphere Availability of ${object.name} reconfigured`),
      )}
    >
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
        vSphere HA
      </label>
      <FormField
        label="Host failures cluster tolerates"
        htmlFor="ha-failures"
        error={errors.hostFailuresToTolerate?.message}
        description="vSphere HA keeps enough spare capacity to restart the VMs of this many failed hosts (0 to 31)."
      >
        <Input id="ha-failures" type="number" min={0} max={31} className="w-28" {...form.register("hostFailuresToTolerate", { valueAsNumber: true })} />
      </FormField>
    </SettingsSection>
  );
}
