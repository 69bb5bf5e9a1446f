"use client";
// Cluster › Configure › VM Overrides, as in the vSphere Client: per VM, a DRS automation level
// (Disabled keeps DRS from ever moving it) and a vSphere HA restart priority (Disabled: not
// restarted) in place of the cluster's, with Add, Edit and Delete.
import { zodResolver } from "@hookform/resolvers/zod";
import { Pencil, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, type Control, type FieldPath } from "react-hook-form";
import { ClusterMemberPicker, MemberName } from "@/components/objects/configure/cluster-member-picker";
import { ClusterListDialog, ClusterListTable, useListDelete } from "@/components/objects/configure/cluster-list-table";
import { useSettingsEdit } from "@/components/objects/configure/settings-edit";
import { Button } from "@/components/ui/button";
import { FormField, fieldError } from "@/components/ui/form-field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { TableCell } from "@/components/ui/table";
import {
  CLUSTER_DEFAULT,
  HA_RESTART_PRIORITIES,
  overrideFromForm,
  VM_DRS_AUTOMATION_LEVELS,
  vmOverrideFormSchema,
  type VmOverride,
  type VmOverrideForm,
} from "@/lib/actions/clusters/cluster-settings-schemas";
import { configureVmOverrides } from "@/lib/actions/clusters/configure-vm-overrides";
import type { ObjectView } from "@/lib/inventory/object-view";
import { DEFAULT_HA_RESTART_PRIORITY, HA_RESTART_PRIORITY_LABELS, VM_DRS_AUTOMATION_LABELS, type VmDrsAutomationLevel } from "@/lib/vocabulary/drs-rules";

const overridesOf = (object: ObjectView) => (object.spec.vmOverrides ?? []) as VmOverride[];
const clusterAutomation = (object: ObjectView) => ((object.spec.drs as { automationLevel?: VmDrsAutomationLevel } | undefined)?.automationLevel ?? "fullyAutomated");

const BLANK: VmOverrideForm = { vm: "", drsAutomationLevel: CLUSTER_DEFAULT, haRestartPriority: CLUSTER_DEFAULT };
const formOf = (override: VmOverride): VmOverrideForm => ({
  vm: override.vm,
  drsAutomationLevel: override.drsAutomationLevel ?? CLUSTER_DEFAULT,
  haRestartPriority: override.haRestartPriority ?? CLUSTER_DEFAULT,
});

export function VmOverridesSection({ object, canEdit }: { object: ObjectView; canEdit: boolean }) {
  const [dialog, setDialog] = useState<{ key: number; override: VmOverride | null } | null>(null);
  const overrides = overridesOf(object);
  const { executeAsync } = useAction(configureVmOverrides);
  const { confirmDelete, confirmation } = useListDelete(object, (expectedGeneration, vm) =>
    executeAsync({ name: object.name, expectedGeneration, overrides: overrides.filter((override) => override.vm !== vm) }),
  );
  const automation = clusterAutomation(object);

  return (
    <>
      <ClusterListTable
        title="VM Overrides"
        description="Settings of single VMs that take the place of the cluster's vSphere DRS automation level and vSphere HA restart priority."
        addLabel="Add VM Override"
        columns={["VM", "DRS automation level", "VM restart priority"]}
        empty="No VM overrides: every VM follows the cluster's settings."
        canEdit={canEdit}
        onAdd={() => setDialog({ key: Date.now(), override: null })}
        rows={overrides.map((override) => ({
          key: override.vm,
          name: override.vm,
          cells: (
            <>
              <TableCell className="px-3 font-medium">
                <MemberName member={override.vm} />
              </TableCell>
              <TableCell className="px-3">
                {override.drsAutomationLevel ? VM_DRS_AUTOMATION_LABELS[override.drsAutomationLevel] : <Inherited value={VM_DRS_AUTOMATION_LABELS[automation]} />}
              </TableCell>
              <TableCell className="px-3">
                {override.haRestartPriority ? HA_RESTART_PRIORITY_LABELS[override.haRestartPriority] : <Inherited value={HA_RESTART_PRIORITY_LABELS[DEFAULT_HA_RESTART_PRIORITY]} />}
              </TableCell>
            </>
          ),
          actions: (
            <>
              <Button variant="ghost" size="icon" aria-label={`Edit override of ${override.vm}`} onClick={() => setDialog({ key: Date.now(), override })}>
                <Pencil aria-hidden />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Delete override of ${override.vm}`}
                onClick={() => confirmDelete(override.vm, `Delete the override of ${override.vm}?`, "The VM follows the cluster's DRS and vSphere HA settings again.", `Override of ${override.vm} deleted`)}
              >
                <Trash2 aria-hidden />
              </Button>
            </>
          ),
        }))}
      />
      {confirmation}
      {dialog && <VmOverrideDialog key={dialog.key} object={object} override={dialog.override} />}
    </>
  );
}

function Inherited({ value }: { value: string }) {
  return <span className="text-muted-foreground">Use cluster setting ({value})</span>;
}

function VmOverrideDialog({ object, override }: { object: ObjectView; override: VmOverride | null }) {
  const valuesOf = (current: ObjectView) => {
    const stored = override && overridesOf(current).find((candidate) => candidate.vm === override.vm);
    return stored ? formOf(stored) : BLANK;
  };
  const form = useForm<VmOverrideForm>({ resolver: zodResolver(vmOverrideFormSchema), defaultValues: valuesOf(object) });
  const edit = useSettingsEdit(object.uid, form, valuesOf, object);
  const { executeAsync, isPending } = useAction(configureVmOverrides);
  const errors = form.formState.errors;
  const automation = clusterAutomation(object);

  const submit = form.handleSubmit(async (values) => {
    const saved = overrideFromForm(values);
    const current = overridesOf(object);
    const replaces = current.some((candidate) => candidate.vm === saved.vm);
    const overrides = replaces ? current.map((candidate) => (candidate.vm === saved.vm ? saved : candidate)) : [...current, saved];
    await edit.settle(await executeAsync({ name: object.name, expectedGeneration: edit.openedGeneration!, overrides }), `Override of ${saved.vm} saved`);
  });

  return (
    <ClusterListDialog title={override ? "Edit VM Override" : "Add VM Override"} cluster={object.name} edit={edit} pending={isPending} onSubmit={submit} className="sm:max-w-xl">
      {override ? (
        <p className="text-sm">
          Virtual machine: <MemberName member={override.vm} />
        </p>
      ) : (
        <FormField label="Virtual machine" htmlFor="override-vm" error={fieldError("Virtual machine", errors.vm)}>
          <Controller
            control={form.control}
            name="vm"
            render={({ field }) => (
              <ClusterMemberPicker id="override-vm" kind="vms" clusterUid={object.uid} single value={field.value ? [field.value] : []} onChange={(chosen) => field.onChange(chosen[0] ?? "")} invalid={Boolean(errors.vm)} />
            )}
          />
        </FormField>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="DRS automation level" htmlFor="override-drs" error={fieldError("DRS automation level", errors.drsAutomationLevel)}>
          <OverrideSelect id="override-drs" control={form.control} name="drsAutomationLevel" options={VM_DRS_AUTOMATION_LEVELS} labels={VM_DRS_AUTOMATION_LABELS} inherited={VM_DRS_AUTOMATION_LABELS[automation]} />
        </FormField>
        <FormField label="VM restart priority" htmlFor="override-ha">
          <OverrideSelect id="override-ha" control={form.control} name="haRestartPriority" options={HA_RESTART_PRIORITIES} labels={HA_RESTART_PRIORITY_LABELS} inherited={HA_RESTART_PRIORITY_LABELS[DEFAULT_HA_RESTART_PRIORITY]} />
        </FormField>
      </div>
    </ClusterListDialog>
  );
}

function OverrideSelect<Option extends string>({
  id,
  control,
  name,
  options,
  labels,
  inherited,
}: {
  id: string;
  control: Control<VmOverrideForm>;
  name: FieldPath<VmOverrideForm>;
  options: readonly Option[];
  labels: Record<Option, string>;
  inherited: string;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Select value={field.value} onValueChange={field.onChange}>
          <SelectTrigger id={id} className="w-full">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={CLUSTER_DEFAULT}>Use cluster setting ({inherited})</SelectItem>
            {options.map((option) => (
              <SelectItem key={option} value={option}>
                {labels[option]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      )}
    />
  );
}
