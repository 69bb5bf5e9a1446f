// Rules for a cluster's vSphere DRS and vSphere Availability settings, its VM/Host rules and VM
// Overrides, shared by the Configure forms and their server actions.
import { z } from "zod";
import {
  DRS_AUTOMATION_LEVELS,
  DRS_RULE_TYPES,
  drsRuleSchema,
  HA_RESTART_PRIORITIES,
  MAX_DRS_RULES,
  MAX_RULE_MEMBERS,
  MAX_VM_OVERRIDES,
  VM_DRS_AUTOMATION_LEVELS,
  VM_HOST_POLICIES,
  vmOverrideSchema,
  type DrsRule,
  type VmOverride,
} from "@/lib/engine/schemas";

export { DRS_AUTOMATION_LEVELS, DRS_RULE_TYPES, HA_RESTART_PRIORITIES, VM_DRS_AUTOMATION_LEVELS, VM_HOST_POLICIES };
export type { DrsRule, VmOverride };
export type DrsAutomationLevel = (typeof DRS_AUTOMATION_LEVELS)[number];

export const drsSettingsSchema = z.object({
  enabled: z.boolean(),
  automationLevel: z.enum(DRS_AUTOMATION_LEVELS, { error: "must be Manual, Partially Automated or Fully Automated" }),
  migrationThreshold: z.number({ error: "must be a whole number from 1 to 5" }).int("must be a whole number from 1 to 5").min(1, "must be 1 to 5").max(5, "must be 1 to 5"),
});
export type DrsSettings = z.infer<typeof drsSettingsSchema>;

export const haSettingsSchema = z.object({
  enabled: z.boolean(),
  hostFailuresToTolerate: z.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(31, "must be at most 31"),
});
export type HaSettings = z.infer<typeof haSettingsSchema>;

// The spec's generation the form opened with: a controller reporting status meanwhile is no conflict.
const target = { name: z.string().min(1, "is required"), expectedGeneration: z.number().int().min(1, "is required") };

export const configureDrsInputSchema = z.object({ ...target, drs: drsSettingsSchema });
export const configureHaInputSchema = z.object({ ...target, ha: haSettingsSchema });
export const configureDrsRulesInputSchema = z.object({ ...target, rules: z.array(drsRuleSchema).max(MAX_DRS_RULES) });
export const configureVmOverridesInputSchema = z.object({ ...target, overrides: z.array(vmOverrideSchema).max(MAX_VM_OVERRIDES) });

/** The Add/Edit Rule form: a VM–VM rule needs two VMs, a VM–Host rule a VM, a host and a policy (the engine checks the rest). */
export const drsRuleFormSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    enabled: z.boolean(),
    type: z.enum(DRS_RULE_TYPES),
    vms: z.array(z.string()).max(MAX_RULE_MEMBERS, `must be at most ${MAX_RULE_MEMBERS}`),
    hosts: z.array(z.string()).max(MAX_RULE_MEMBERS, `must be at most ${MAX_RULE_MEMBERS}`),
    policy: z.enum(VM_HOST_POLICIES),
  })
  .superRefine((rule, context) => {
    const minimum = rule.type === "vmHost" ? 1 : 2;
    if (rule.vms.length < minimum) context.addIssue({ code: "custom", path: ["vms"], message: `must include at least ${minimum} VM${minimum > 1 ? "s" : ""}` });
    if (rule.type === "vmHost" && rule.hosts.length === 0) context.addIssue({ code: "custom", path: ["hosts"], message: "must include at least 1 host" });
  });
export type DrsRuleForm = z.infer<typeof drsRuleFormSchema>;

/** The form's values as the rule the engine stores. */
export function ruleFromForm(form: DrsRuleForm): DrsRule {
  const base = { name: form.name, enabled: form.enabled, type: form.type, vms: form.vms };
  return form.type === "vmHost" ? { ...base, hosts: form.hosts, policy: form.policy } : base;
}

export const CLUSTER_DEFAULT = "clusterDefault";

/** The Add/Edit VM Override form: "clusterDefault" keeps the cluster's setting. */
export const vmOverrideFormSchema = z
  .object({
    vm: z.string().min(1, "is required"),
    drsAutomationLevel: z.enum([CLUSTER_DEFAULT, ...VM_DRS_AUTOMATION_LEVELS]),
    haRestartPriority: z.enum([CLUSTER_DEFAULT, ...HA_RESTART_PRIORITIES]),
  })
  .refine((override) => override.drsAutomationLevel !== CLUSTER_DEFAULT || override.haRestartPriority !== CLUSTER_DEFAULT, {
    path: ["drsAutomationLevel"],
    message: "or the VM restart priority must differ from the cluster's setting",
  });
export type VmOverrideForm = z.infer<typeof vmOverrideFormSchema>;

export function overrideFromForm(form: VmOverrideForm): VmOverride {
  return {
    vm: form.vm,
    ...(form.drsAutomationLevel !== CLUSTER_DEFAULT && { drsAutomationLevel: form.drsAutomationLevel }),
    ...(form.haRestartPriority !== CLUSTER_DEFAULT && { haRestartPriority: form.haRestartPriority }),
  };
}
