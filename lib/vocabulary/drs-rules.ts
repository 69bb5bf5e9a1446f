// The words of VM/Host rules and VM Overrides as the vSphere Client says them, defined once for the
// Configure forms, the engine's messages and events. Pure: the console and the engine import it.
export type DrsRuleType = "affinity" | "antiAffinity" | "vmHost";
export type VmHostPolicy = "mustRunOn" | "shouldRunOn" | "mustNotRunOn" | "shouldNotRunOn";
export type VmDrsAutomationLevel = "disabled" | "manual" | "partiallyAutomated" | "fullyAutomated";
export type HaRestartPriority = "disabled" | "lowest" | "low" | "medium" | "high" | "highest";

export const DRS_RULE_TYPE_LABELS: Record<DrsRuleType, string> = {
  affinity: "Keep Virtual Machines Together",
  antiAffinity: "Separate Virtual Machines",
  vmHost: "Virtual Machines to Hosts",
};

export const VM_HOST_POLICY_LABELS: Record<VmHostPolicy, string> = {
  mustRunOn: "Must run on hosts in group",
  shouldRunOn: "Should run on hosts in group",
  mustNotRunOn: "Must not run on hosts in group",
  shouldNotRunOn: "Should not run on hosts in group",
};

export const VM_DRS_AUTOMATION_LABELS: Record<VmDrsAutomationLevel, string> = {
  disabled: "Disabled",
  manual: "Manual",
  partiallyAutomated: "Partially Automated",
  fullyAutomated: "Fully Automated",
};

export const HA_RESTART_PRIORITY_LABELS: Record<HaRestartPriority, string> = {
  disabled: "Disabled",
  lowest: "Lowest",
  low: "Low",
  medium: "Medium",
  high: "High",
  highest: "Highest",
};

/** A VM without an override restarts at vSphere HA's cluster default. */
export const DEFAULT_HA_RESTART_PRIORITY: HaRestartPriority = "medium";

/** Must rules (VM–VM rules and must VM–Host rules) are never broken by DRS; should rules are preferences. */
export function isMandatoryRule(rule: { type: DrsRuleType; policy?: VmHostPolicy }): boolean {
  return rule.type !== "vmHost" || rule.policy === "mustRunOn" || rule.policy === "mustNotRunOn";
}

/** What the rule asks, in one phrase: "Separate Virtual Machines", "Must run on hosts in group". */
export function ruleDescription(rule: { type: DrsRuleType; policy?: VmHostPolicy }): string {
  return rule.type === "vmHost" && rule.policy ? VM_HOST_POLICY_LABELS[rule.policy] : DRS_RULE_TYPE_LABELS[rule.type];
}
