// VM/Host rules, decided: whether a VM on a host breaks a rule, which hosts placement may and
// should choose for it, and which rules the cluster's VMs violate now. Pure: placement, DRS,
// maintenance mode, vSphere HA, the Migrate checks and the cluster controller share it, so each
// path keeps the rules the same way. Disabled rules count nowhere.
import type { DrsRule } from "@/lib/engine/schemas";
import { isMandatoryRule, ruleDescription } from "@/lib/vocabulary/drs-rules";

/** Where each running VM that a rule names runs, or is headed, by "namespace/name". */
export type VmLocations = ReadonlyMap<string, string>;

/** The VMs the cluster's enabled rules name. */
export function ruleMembers(rules: readonly DrsRule[] | undefined): Set<string> {
  return new Set((rules ?? []).filter((rule) => rule.enabled).flatMap((rule) => rule.vms));
}

/** Whether `vm` on `host` breaks the rule, given where the rule's other VMs are. */
export function breaksRule(rule: DrsRule, vm: string, host: string, locations: VmLocations): boolean {
  if (!rule.enabled || !rule.vms.includes(vm)) return false;
  if (rule.type === "vmHost") {
    const listed = (rule.hosts ?? []).includes(host);
    return rule.policy === "mustRunOn" || rule.policy === "shouldRunOn" ? !listed : listed;
  }
  const peerHosts = rule.vms.filter((peer) => peer !== vm).flatMap((peer) => locations.get(peer) ?? []);
  return rule.type === "affinity" ? peerHosts.some((peer) => peer !== host) : peerHosts.includes(host);
}

export function brokenRules(rules: readonly DrsRule[] | undefined, vm: string, host: string, locations: VmLocations): DrsRule[] {
  return (rules ?? []).filter((rule) => breaksRule(rule, vm, host, locations));
}

/** Why a VM may not go to the host, as the Migrate dialog and the engine say it, or null. */
export function mustRuleRefusal(rules: readonly DrsRule[] | undefined, vm: string, host: string, locations: VmLocations): string | null {
  const rule = brokenRules(rules, vm, host, locations).find(isMandatoryRule);
  return rule ? `violates rule "${rule.name}" (${ruleDescription(rule)})` : null;
}

export interface HostChoice {
  /** Hosts a must rule forbids, each with the rule's name. */
  excluded: Map<string, string>;
  /** Hosts that break no rule at all: placement tries these first. */
  preferred: string[];
}

export function hostChoice(rules: readonly DrsRule[] | undefined, vm: string, hosts: readonly string[], locations: VmLocations): HostChoice {
  const excluded = new Map<string, string>();
  const preferred: string[] = [];
  for (const host of hosts) {
    const broken = brokenRules(rules, vm, host, locations);
    const must = broken.find(isMandatoryRule);
    if (must) excluded.set(host, must.name);
    else if (broken.length === 0) preferred.push(host);
  }
  return { excluded, preferred };
}

export interface RuleViolation {
  rule: string;
  message: string;
}

/** The enabled rules the VMs' locations violate now, each with what is wrong. */
export function ruleViolations(rules: readonly DrsRule[] | undefined, locations: VmLocations): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const rule of (rules ?? []).filter((candidate) => candidate.enabled)) {
    const placed = rule.vms.flatMap((vm) => (locations.has(vm) ? [[vm, locations.get(vm)!] as const] : []));
    let message: string | null = null;
    if (rule.type === "affinity") {
      const hosts = [...new Set(placed.map(([, host]) => host))];
      if (hosts.length > 1) message = `its VMs run on ${hosts.length} hosts (${hosts.join(", ")}) instead of one`;
    } else if (rule.type === "antiAffinity") {
      const byHost = new Map<string, string[]>();
      for (const [vm, host] of placed) byHost.set(host, [...(byHost.get(host) ?? []), vm]);
      const shared = [...byHost].find(([, vms]) => vms.length > 1);
      if (shared) message = `${shared[1].join(" and ")} run on the same host ${shared[0]}`;
    } else {
      const offending = placed.filter(([vm, host]) => breaksRule(rule, vm, host, locations));
      if (offending.length > 0) message = offending.map(([vm, host]) => `${vm} runs on ${host}`).join(", ");
    }
    if (message) violations.push({ rule: rule.name, message: `Rule "${rule.name}" (${ruleDescription(rule)}) is violated: ${message}.` });
  }
  return violations;
}
