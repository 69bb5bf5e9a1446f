// Engine functions for a cluster's VM/Host rules and VM Overrides (Configure › VM/Host Rules and
// VM Overrides). Each replaces the whole list, with the spec's generation the form opened with,
// after checking it against the cluster as it is: rule names unique, members that exist in the
// cluster, enough of them for the rule's type, no VM–VM rules that contradict each other. A
// renamed VM keeps its place in both lists.
import type pg from "pg";
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { getObject, writeSpec } from "@/lib/engine/object-store";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { sameJson } from "@/lib/engine/same-json";
import { drsRuleSchema, MAX_DRS_RULES, MAX_VM_OVERRIDES, vmOverrideSchema, type ClusterSpec, type DrsRule, type VmOverride } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { DRS_RULE_TYPE_LABELS } from "@/lib/vocabulary/drs-rules";

const rulesSchema = z.array(drsRuleSchema, { error: "must be a list" }).max(MAX_DRS_RULES, `must hold at most ${MAX_DRS_RULES} rules`);
const overridesSchema = z.array(vmOverrideSchema, { error: "must be a list" }).max(MAX_VM_OVERRIDES, `must hold at most ${MAX_VM_OVERRIDES} overrides`);

function parsed<T>(schema: z.ZodType<T>, value: unknown, field: string, noun: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const part = issue.path.findLast((key) => typeof key === "string");
  throw new InvalidInputError([field, ...issue.path].join("."), `${part ? `${noun} ${part}` : `${noun}s`} ${issue.message}`);
}

/** Which of the named VMs and hosts are not in the cluster. */
async function missingMembers(tx: Db, cluster: string, vms: string[], hosts: string[]) {
  const { rows } = await tx.query<{ vms: string[]; hosts: string[] }>(
    `SELECT ARRAY(SELECT m.ref FROM unnest($2::text[]) AS m(ref)
                   WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.kind = 'VirtualMachine' AND r.namespace = split_part(m.ref, '/', 1)
                                        AND r.name = split_part(m.ref, '/', 2) AND r.labels->>'skylight.io/cluster' = $1)) AS vms,
            ARRAY(SELECT h FROM unnest($3::text[]) AS h
                   WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.kind = 'Host' AND r.name = h AND r.spec->>'cluster' = $1)) AS hosts`,
    [cluster, vms, hosts],
  );
  return { vms: new Set(rows[0]!.vms), hosts: new Set(rows[0]!.hosts) };
}

/** The rule as stored: only a VM–Host rule keeps a host group and a policy. */
function normalized(rule: DrsRule): DrsRule {
  if (rule.type === "vmHost") return rule;
  return { name: rule.name, enabled: rule.enabled, type: rule.type, vms: rule.vms };
}

/**
 * A member a rule already had is not checked again: a VM deleted since stays in its rule and does
 * not block saving other changes; only members a rule gains must be in the cluster.
 */
async function checkRules(tx: Db, cluster: string, rules: DrsRule[], before: DrsRule[]): Promise<void> {
  const had = (rule: DrsRule) => new Set(before.filter((old) => old.name === rule.name).flatMap((old) => [...old.vms, ...(old.hosts ?? [])]));
  const gained = rules.map((rule) => ({ rule, had: had(rule) }));
  const missing = await missingMembers(
    tx,
    cluster,
    gained.flatMap(({ rule, had }) => rule.vms.filter((vm) => !had.has(vm))),
    gained.flatMap(({ rule, had }) => (rule.hosts ?? []).filter((host) => !had.has(host))),
  );
  const seen = new Set<string>();
  for (const [index, rule] of rules.entries()) {
    const field = (name: string) => `rules.${index}.${name}`;
    const label = `Rule "${rule.name}"`;
    if (seen.has(rule.name.toLowerCase())) throw new InvalidInputError(field("name"), `${label}: a rule with this name already exists in ${cluster}; rule names must be unique.`);
    seen.add(rule.name.toLowerCase());
    if (new Set(rule.vms).size !== rule.vms.length) throw new InvalidInputError(field("vms"), `${label}: lists a VM twice.`);
    const minimum = rule.type === "vmHost" ? 1 : 2;
    if (rule.vms.length < minimum) {
      throw new InvalidInputError(field("vms"), `${label}: ${DRS_RULE_TYPE_LABELS[rule.type]} needs at least ${minimum} VM${minimum > 1 ? "s" : ""}.`);
    }
    const unknownVm = rule.vms.find((vm) => missing.vms.has(vm) && !gained[index]!.had.has(vm));
    if (unknownVm) throw new InvalidInputError(field("vms"), `${label}: VM ${unknownVm} is not in cluster ${cluster}.`);
    if (rule.type === "vmHost") {
      if (!rule.policy) throw new InvalidInputError(field("policy"), `${label}: choose Must run on, Should run on, Must not run on or Should not run on.`);
      const hosts = rule.hosts ?? [];
      if (hosts.length === 0) throw new InvalidInputError(field("hosts"), `${label}: the host group needs at least 1 host.`);
      if (new Set(hosts).size !== hosts.length) throw new InvalidInputError(field("hosts"), `${label}: lists a host twice.`);
      const unknownHost = hosts.find((host) => missing.hosts.has(host) && !gained[index]!.had.has(host));
      if (unknownHost) throw new InvalidInputError(field("hosts"), `${label}: host ${unknownHost} is not in cluster ${cluster}.`);
    }
  }
  // As vSphere, two enabled VM–VM rules may not ask opposite things of the same two VMs.
  const vmVm = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.enabled && rule.type !== "vmHost");
  for (const { rule, index } of vmVm) {
    const opposite = vmVm.find(({ rule: other }) => other.type !== rule.type && other.vms.filter((vm) => rule.vms.includes(vm)).length >= 2);
    if (opposite) {
      throw new InvalidInputError(`rules.${index}.vms`, `Rule "${rule.name}" conflicts with rule "${opposite.rule.name}": the same VMs cannot be kept together and separated.`);
    }
  }
}

/** "Create rule a; delete rule b": what a change of the list did, by name, for the task and its audit event. */
function describeChange<T>(before: T[], after: T[], nameOf: (item: T) => string, noun: string): string {
  const names = (items: T[]) => new Map(items.map((item) => [nameOf(item), JSON.stringify(item)]));
  const [old, next] = [names(before), names(after)];
  const created = [...next.keys()].filter((name) => !old.has(name));
  const deleted = [...old.keys()].filter((name) => !next.has(name));
  const edited = [...next.keys()].filter((name) => old.has(name) && old.get(name) !== next.get(name));
  const parts = [
    ...created.map((name) => `create ${noun} ${name}`),
    ...edited.map((name) => `edit ${noun} ${name}`),
    ...deleted.map((name) => `delete ${noun} ${name}`),
  ];
  return parts.length > 0 ? parts.join("; ") : `save ${noun}s unchanged`;
}

const capitalized = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** Replaces one of the cluster's lists (its rules or its overrides) after `check`, naming the change in the task. */
async function replaceClusterList<T>(
  actor: OperationActor,
  input: { name: string; expectedGeneration?: number },
  list: { field: "rules" | "vmOverrides"; operation: string; noun: string; items: T[]; nameOf: (item: T) => string; check: (tx: Db, cluster: string, before: T[]) => Promise<void> },
  pool?: pg.Pool,
) {
  return writeObject<ClusterSpec>({
    actor,
    authority: { permission: "inventory.operate" },
    key: { kind: "Cluster", namespace: "", name: input.name },
    expectedGeneration: input.expectedGeneration,
    operation: list.operation,
    description: `Edit ${list.noun}s of ${input.name}`,
    change: async (current, tx) => {
      const before = (current.spec[list.field] ?? []) as T[];
      await list.check(tx, current.name, before);
      const description = `${capitalized(describeChange(before, list.items, list.nameOf, list.noun))} on ${current.name}`;
      return { spec: { ...current.spec, [list.field]: list.items }, task: { operation: list.operation, description } };
    },
    pool,
  });
}

export async function configureDrsRules(actor: OperationActor, input: { name: string; rules: unknown; expectedGeneration?: number }, pool?: pg.Pool) {
  const rules = parsed(rulesSchema, input.rules, "rules", "Rule").map(normalized);
  const list = { field: "rules" as const, operation: "Cluster.configureDrsRules", noun: "VM/Host rule", items: rules, nameOf: (rule: DrsRule) => `"${rule.name}"` };
  return replaceClusterList(actor, input, { ...list, check: (tx, cluster, before) => checkRules(tx, cluster, rules, before) }, pool);
}

async function checkOverrides(tx: Db, cluster: string, overrides: VmOverride[], before: VmOverride[]): Promise<void> {
  const known = new Set(before.map((override) => override.vm));
  const missing = await missingMembers(tx, cluster, overrides.map((override) => override.vm).filter((vm) => !known.has(vm)), []);
  const seen = new Set<string>();
  for (const [index, override] of overrides.entries()) {
    if (seen.has(override.vm)) throw new InvalidInputError(`overrides.${index}.vm`, `VM ${override.vm} already has an override; edit that one.`);
    seen.add(override.vm);
    if (missing.vms.has(override.vm)) throw new InvalidInputError(`overrides.${index}.vm`, `VM ${override.vm} is not in cluster ${cluster}.`);
    if (!override.drsAutomationLevel && !override.haRestartPriority) {
      throw new InvalidInputError(`overrides.${index}.vm`, `The override of ${override.vm} changes nothing: choose a DRS automation level or a VM restart priority.`);
    }
  }
}

export async function configureVmOverrides(actor: OperationActor, input: { name: string; overrides: unknown; expectedGeneration?: number }, pool?: pg.Pool) {
  const overrides = parsed(overridesSchema, input.overrides, "overrides", "VM override");
  const list = { field: "vmOverrides" as const, operation: "Cluster.configureVmOverrides", noun: "VM override", items: overrides, nameOf: (override: VmOverride) => override.vm };
  return replaceClusterList(actor, input, { ...list, check: (tx, cluster, before) => checkOverrides(tx, cluster, overrides, before) }, pool);
}

/** A renamed VM keeps its rules and its override: the cluster's lists follow the new name, in the rename's transaction. */
export async function followVmRename(tx: Db, cluster: string, from: string, to: string): Promise<void> {
  const current = await getObject<ClusterSpec, unknown>(tx, { kind: "Cluster", namespace: "", name: cluster }, { forUpdate: true });
  if (!current) return;
  const renamed = (vm: string) => (vm === from ? to : vm);
  const rules = current.spec.rules?.map((rule) => ({ ...rule, vms: rule.vms.map(renamed) }));
  const vmOverrides = current.spec.vmOverrides?.map((override) => ({ ...override, vm: renamed(override.vm) }));
  if (sameJson(rules, current.spec.rules) && sameJson(vmOverrides, current.spec.vmOverrides)) return;
  await writeSpec(tx, current, { ...current.spec, rules, vmOverrides });
}
