"use client";
// Cluster › Configure › VM/Host Rules, as in the vSphere Client: the cluster's rules in a table
// (name, type, whether enabled, members, whether the running VMs keep it) with Add, Edit and
// Delete. Every change sends the whole list with the generation it was made from.
import { zodResolver } from "@hookform/resolvers/zod";
import { Pencil, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { ClusterMemberPicker, MemberName } from "@/components/objects/configure/cluster-member-picker";
import { ClusterListDialog, ClusterListTable, useListDelete } from "@/components/objects/configure/cluster-list-table";
import { useSettingsEdit } from "@/components/objects/configure/settings-edit";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldError } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { TableCell } from "@/components/ui/table";
import { DRS_RULE_TYPES, drsRuleFormSchema, ruleFromForm, VM_HOST_POLICIES, type DrsRule, type DrsRuleForm } from "@/lib/actions/clusters/cluster-settings-schemas";
import { configureDrsRules } from "@/lib/actions/clusters/configure-drs-rules";
import type { ObjectView } from "@/lib/inventory/object-view";
import { DRS_RULE_TYPE_LABELS, VM_HOST_POLICY_LABELS, ruleDescription } from "@/lib/vocabulary/drs-rules";
import { ChoiceSelect, choicesOf } from "@/components/ui/choice-select";

const rulesOf = (object: ObjectView) => (object.spec.rules ?? []) as DrsRule[];
const violationsOf = (object: ObjectView) => (object.status.ruleViolations ?? []) as { rule: string; message: string }[];

const TYPE_DESCRIPTIONS: Record<DrsRule["type"], string> = {
  affinity: "DRS keeps these VMs on one host. Placement, maintenance mode and vSphere HA never split them.",
  antiAffinity: "DRS keeps these VMs on different hosts. Placement, maintenance mode and vSphere HA never put two of them together.",
  vmHost: "The VM group runs on, or stays off, the host group. A must policy is never broken; a should policy is kept when there is a way.",
};

const BLANK: DrsRuleForm = { name: "", enabled: true, type: "antiAffinity", vms: [], hosts: [], policy: "shouldRunOn" };
const formOf = (rule: DrsRule): DrsRuleForm => ({ ...BLANK, ...rule, hosts: rule.hosts ?? [], policy: rule.policy ?? BLANK.policy });

export function DrsRulesSection({ object, canEdit }: { object: ObjectView; canEdit: boolean }) {
  const [dialog, setDialog] = useState<{ key: number; rule: DrsRule | null } | null>(null);
  const rules = rulesOf(object);
  const violations = violationsOf(object);
  const { executeAsync } = useAction(configureDrsRules);
  const { confirmDelete, confirmation } = useListDelete(object, (expectedGeneration, name) =>
    executeAsync({ name: object.name, expectedGeneration, rules: rules.filter((rule) => rule.name !== name) }),
  );

  return (
    <>
      <ClusterListTable
        title="VM/Host Rules"
        description="Rules DRS, initial placement, maintenance mode and vSphere HA keep. A must rule is never broken by DRS; a should rule is kept when there is a way."
        addLabel="Add Rule"
        columns={["Name", "Type", "Enabled", "Members", "Status"]}
        empty="No rules. Add one to keep VMs together, separate them, or tie them to hosts."
        canEdit={canEdit}
        onAdd={() => setDialog({ key: Date.now(), rule: null })}
        rows={rules.map((rule) => {
          const violation = violations.find((candidate) => candidate.rule === rule.name);
          return {
            key: rule.name,
            name: rule.name,
            cells: (
              <>
                <TableCell className="px-3 font-medium">{rule.name}</TableCell>
                <TableCell className="px-3">{DRS_RULE_TYPE_LABELS[rule.type]}</TableCell>
                <TableCell className="px-3">{rule.enabled ? "Yes" : "No"}</TableCell>
                <TableCell className="px-3 whitespace-normal">
                  <RuleMembers rule={rule} />
                </TableCell>
                <TableCell className="px-3 whitespace-normal">
                  {!rule.enabled ? (
                    <span className="text-muted-foreground">Disabled</span>
                  ) : violation ? (
                    <Badge variant="destructive" title={violation.message}>
                      Violated
                    </Badge>
                  ) : (
                    <span className="text-emerald-700 dark:text-emerald-400">Kept</span>
                  )}
                </TableCell>
              </>
            ),
            actions: (
              <>
                <Button variant="ghost" size="icon" aria-label={`Edit rule ${rule.name}`} onClick={() => setDialog({ key: Date.now(), rule })}>
                  <Pencil aria-hidden />
                </Button>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Delete rule ${rule.name}`}
                  onClick={() => confirmDelete(rule.name, `Delete rule ${rule.name}?`, "DRS, placement, maintenance mode and vSphere HA stop keeping it.", `Rule ${rule.name} deleted`)}
                >
                  <Trash2 aria-hidden />
                </Button>
              </>
            ),
          };
        })}
        footer={violations.map((violation) => (
          <p key={violation.rule} role="status" className="text-sm text-destructive">
            {violation.message}
          </p>
        ))}
      />
      {confirmation}
      {dialog && <DrsRuleDialog key={dialog.key} object={object} rule={dialog.rule} />}
    </>
  );
}

function RuleMembers({ rule }: { rule: DrsRule }) {
  const vms = (
    <span className="flex flex-wrap gap-1">
      {rule.vms.map((vm) => (
        <Badge key={vm} variant="secondary">
          <MemberName member={vm} />
        </Badge>
      ))}
    </span>
  );
  if (rule.type !== "vmHost") return vms;
  return (
    <span className="grid gap-1">
      {vms}
      <span className="text-xs text-muted-foreground">
        {ruleDescription(rule)}: {(rule.hosts ?? []).join(", ")}
      </span>
    </span>
  );
}

function DrsRuleDialog({ object, rule }: { object: ObjectView; rule: DrsRule | null }) {
  const valuesOf = (current: ObjectView) => {
    const stored = rule && rulesOf(current).find((candidate) => candidate.name === rule.name);
    return stored ? formOf(stored) : BLANK;
  };
  const form = useForm<DrsRuleForm>({ resolver: zodResolver(drsRuleFormSchema), defaultValues: valuesOf(object) });
  const edit = useSettingsEdit(object.uid, form, valuesOf, object);
  const { executeAsync, isPending } = useAction(configureDrsRules);
  const type = useWatch({ control: form.control, name: "type" });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    const saved = ruleFromForm(values);
    const current = rulesOf(object);
    const replaces = rule && current.some((candidate) => candidate.name === rule.name);
    const rules = replaces ? current.map((candidate) => (candidate.name === rule!.name ? saved : candidate)) : [...current, saved];
    await edit.settle(await executeAsync({ name: object.name, expectedGeneration: edit.openedGeneration!, rules }), `Rule ${saved.name} saved`);
  });

  return (
    <ClusterListDialog title={rule ? `Edit VM/Host Rule ${rule.name}` : "Create VM/Host Rule"} cluster={object.name} edit={edit} pending={isPending} onSubmit={submit} className="sm:max-w-2xl">
      <div className="grid grid-cols-[1fr_auto] items-end gap-4">
        <FormField label="Name" htmlFor="rule-name" error={fieldError("Name", errors.name)}>
          <Input id="rule-name" autoComplete="off" {...form.register("name")} />
        </FormField>
        <label className="flex h-9 items-center gap-2 text-sm font-medium">
          <input type="checkbox" className="size-4 accent-primary" {...form.register("enabled")} />
          Enable rule
        </label>
      </div>
      <FormField label="Type" htmlFor="rule-type" description={TYPE_DESCRIPTIONS[type]}>
        <Controller
          control={form.control}
          name="type"
          render={({ field }) => (
            <ChoiceSelect id="rule-type" value={field.value} onValueChange={field.onChange} choices={choicesOf(DRS_RULE_TYPES, DRS_RULE_TYPE_LABELS)} className="w-72" />
          )}
        />
      </FormField>
      <div className={type === "vmHost" ? "grid items-start gap-4 sm:grid-cols-2" : "grid"}>
        <FormField label={type === "vmHost" ? "VM group" : "Members"} htmlFor="rule-vms" error={fieldError(type === "vmHost" ? "VM group" : "Members", errors.vms)}>
          <Controller
            control={form.control}
            name="vms"
            render={({ field }) => <ClusterMemberPicker id="rule-vms" kind="vms" clusterUid={object.uid} value={field.value} onChange={field.onChange} invalid={Boolean(errors.vms)} />}
          />
        </FormField>
        {type === "vmHost" && (
          <div className="grid content-start gap-4">
            <FormField label="Policy" htmlFor="rule-policy">
              <Controller
                control={form.control}
                name="policy"
                render={({ field }) => (
                  <ChoiceSelect id="rule-policy" value={field.value} onValueChange={field.onChange} choices={choicesOf(VM_HOST_POLICIES, VM_HOST_POLICY_LABELS)} className="w-full" />
                )}
              />
            </FormField>
            <FormField label="Host group" htmlFor="rule-hosts" error={fieldError("Host group", errors.hosts)}>
              <Controller
                control={form.control}
                name="hosts"
                render={({ field }) => <ClusterMemberPicker id="rule-hosts" kind="hosts" clusterUid={object.uid} value={field.value} onChange={field.onChange} invalid={Boolean(errors.hosts)} />}
              />
            </FormField>
          </div>
        )}
      </div>
    </ClusterListDialog>
  );
}
