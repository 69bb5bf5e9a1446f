// VM/Host rules applied to a decision in the database: the hosts a VM may and should go to for
// placement (one VM or a batch), maintenance mode and vSphere HA, and the hosts Migrate refuses.
// Each reads the cluster's rules as committed and where the rules' VMs are: for a decision, the
// VMs meant to run, at the host they are headed for; for reporting violations, the VMs running,
// at the host they run on. Decisions in one cluster that involve rules take the cluster's rule
// lock, so two placements cannot each miss the other.
import type { Db } from "@/lib/db/pool";
import { hostChoice, mustRuleRefusal, ruleMembers, type VmLocations } from "@/lib/engine/drs-rules";
import type { HostPreference } from "@/lib/engine/placement";
import type { DrsRule } from "@/lib/engine/schemas";
import { REQUESTED_HOST_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

/** Held until the caller's transaction ends. */
export async function lockRuleDecisions(tx: Db, cluster: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('skylight.drs-rules'), hashtext($1))`, [cluster]);
}

export async function readVmLocations(db: Db, vms: Iterable<string>, mode: "intended" | "actual"): Promise<VmLocations> {
  const references = [...vms];
  if (references.length === 0) return new Map();
  const [host, running] =
    mode === "intended"
      ? [`COALESCE(r.status->'migration'->>'to', r.annotations->>$2, r.status->>'host')`, `r.deletion_timestamp IS NULL AND r.spec->>'powerState' = 'PoweredOn'`]
      : [`r.status->>'host'`, `r.status->>'powerState' = 'PoweredOn'`];
  const { rows } = await db.query<{ vm: string; host: string | null }>(
    `SELECT m.ref AS vm, ${host} AS host
       FROM unnest($1::text[]) AS m(ref)
       JOIN resources r ON r.kind = 'VirtualMachine' AND r.namespace = split_part(m.ref, '/', 1) AND r.name = split_part(m.ref, '/', 2)
      WHERE ${running}`,
    mode === "intended" ? [references, REQUESTED_HOST_ANNOTATION] : [references],
  );
  return new Map(rows.flatMap((row) => (row.host ? [[row.vm, row.host] as const] : [])));
}

/** The cluster's rules as committed now: a rule saved a moment ago counts for the next decision. */
async function currentRules(db: Db, cluster: string): Promise<DrsRule[]> {
  const { rows } = await db.query<{ rules: DrsRule[] | null }>(`SELECT spec->'rules' AS rules FROM resources WHERE kind = 'Cluster' AND namespace = '' AND name = $1`, [cluster]);
  return rows[0]?.rules ?? [];
}

async function clusterHostNames(db: Db, cluster: string): Promise<string[]> {
  const { rows } = await db.query<{ host: string }>(`SELECT host FROM host_allocations WHERE cluster = $1 ORDER BY host`, [cluster]);
  return rows.map((row) => row.host);
}

export interface RulePreference extends HostPreference {
  /** The hosts a must rule rules out, each with the rule's name. */
  excludedBy: Map<string, string>;
}

/**
 * The hosts a VM that rules name may and should go to, in the caller's transaction with the
 * cluster's rule lock taken; null (and no lock) when no enabled rule names it. `alsoExclude`:
 * hosts the caller leaves out anyway (a failed host).
 */
export async function rulePreference(tx: Db, cluster: string, vm: string, alsoExclude: string[] = []): Promise<RulePreference | null> {
  const rules = await currentRules(tx, cluster);
  const members = ruleMembers(rules);
  if (!members.has(vm)) return null;
  await lockRuleDecisions(tx, cluster);
  members.delete(vm);
  const locations = await readVmLocations(tx, members, "intended");
  const choice = hostChoice(rules, vm, await clusterHostNames(tx, cluster), locations);
  return { exclude: [...alsoExclude, ...choice.excluded.keys()], prefer: choice.preferred, excludedBy: choice.excluded };
}

/** Why the rules leave a VM nowhere to go: `rule "apart" rules out esx-1, esx-2`. */
export function ruleExclusionWords(excludedBy: ReadonlyMap<string, string>): string {
  const byRule = new Map<string, string[]>();
  for (const [host, rule] of excludedBy) byRule.set(rule, [...(byRule.get(rule) ?? []), host]);
  return [...byRule].map(([rule, hosts]) => `rule "${rule}" rules out ${hosts.join(", ")}`).join("; ");
}

/**
 * For placeMany: each VM's preference, seeing where the batch placed the VMs before it; undefined
 * (and no lock) when no enabled rule names any of them. `running`: the VM is meant to run, so
 * where it lands counts for its rules' other VMs.
 */
export async function batchRulePreference(
  tx: Db,
  cluster: string,
  vms: { key: string; running: boolean }[],
): Promise<((index: number, placed: readonly (string | null)[]) => HostPreference) | undefined> {
  const rules = await currentRules(tx, cluster);
  const members = ruleMembers(rules);
  if (!vms.some((vm) => members.has(vm.key))) return undefined;
  await lockRuleDecisions(tx, cluster);
  const before = await readVmLocations(tx, members, "intended");
  const hosts = await clusterHostNames(tx, cluster);
  return (index, placed) => {
    const vm = vms[index]!.key;
    if (!members.has(vm)) return { exclude: [], prefer: [] };
    const locations = new Map(before);
    placed.forEach((host, earlier) => host && vms[earlier]!.running && locations.set(vms[earlier]!.key, host));
    const choice = hostChoice(rules, vm, hosts, locations);
    return { exclude: [...choice.excluded.keys()], prefer: choice.preferred };
  };
}

/**
 * Which of `hosts` the VM may not be moved to because a must rule forbids it, each with the
 * reason the Migrate dialog and the engine give ("violates rule …"). `lock`: in a write's
 * transaction, take the cluster's rule lock first.
 */
export async function mustRuleRefusals(db: Db, cluster: string, vm: string, hosts: readonly string[], lock: boolean): Promise<Map<string, string>> {
  const rules = await currentRules(db, cluster);
  const members = ruleMembers(rules);
  if (!members.has(vm)) return new Map();
  if (lock) await lockRuleDecisions(db, cluster);
  members.delete(vm);
  const locations = await readVmLocations(db, members, "intended");
  const refusals = new Map<string, string>();
  for (const host of hosts) {
    const refusal = mustRuleRefusal(rules, vm, host, locations);
    if (refusal) refusals.set(host, refusal);
  }
  return refusals;
}
