// VM/Host rules and VM Overrides kept by every path that chooses a host: initial placement (one
// VM at a time and in batches), DRS, maintenance mode, vSphere HA and Migrate; a violated rule
// raises the "VM/Host rule violated" alarm, which clears once DRS has fixed it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { batchRulePreference } from "@/lib/engine/drs-rule-decisions";
import { placeMany } from "@/lib/engine/placement";
import { configureDrsRules, configureVmOverrides } from "@/lib/engine/operations/cluster-rule-operations";
import { configureDrs } from "@/lib/engine/operations/cluster-operations";
import { enterMaintenanceMode, exitMaintenanceMode, failHost, recoverHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine, deleteVirtualMachine, migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { DrsRule, VmOverride } from "@/lib/engine/schemas";
import { requestDrsPasses } from "@/lib/engine/singleton-loops";
import { CLUSTER, createHarness, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";
import { REQUESTED_HOST_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };
const [ESX1, ESX2, ESX3] = ["esx-1.test", "esx-2.test", "esx-3.test"];
const ref = (name: string) => `${NAMESPACE}/${name}`;
const separate = (name: string, vms: string[]): DrsRule => ({ name, enabled: true, type: "antiAffinity", vms: vms.map(ref) });

let harness: Harness;
beforeAll(async () => {
  // Rules written before their VMs exist, as a rule outlives a VM deleted and made again.
  harness = await createHarness({
    hosts: 3,
    cluster: { rules: [separate("apart-p", ["p-1", "p-2", "p-3"]), separate("apart-q", ["q-1", "q-2", "q-3", "q-4"])] },
  });
  harness.startEngine();
  await waitFor(
    async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND status->>'connectionState' = 'connected'`)).rows.length === 3,
    "the hosts connected",
  );
}, 60_000);
afterAll(() => harness.stop());

async function hostsOf(names: string[]): Promise<Record<string, string | null>> {
  const { rows } = await harness.pool.query<{ name: string; host: string | null }>(
    `SELECT name, status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' AND name = ANY($1::text[])`,
    [names],
  );
  return Object.fromEntries(names.map((name) => [name, rows.find((row) => row.name === name)?.host ?? null]));
}

async function runningOn(names: string[]): Promise<Record<string, string>> {
  const observed = await Promise.all(names.map((name) => harness.provider.findVm(ref(name))));
  return Object.fromEntries(names.flatMap((name, index) => (observed[index]?.powerState === "PoweredOn" && !observed[index]!.operation ? [[name, observed[index]!.host]] : [])));
}

async function waitRunning(names: string[], what = `${names.join(", ")} running`): Promise<Record<string, string>> {
  return waitFor(async () => {
    const hosts = await runningOn(names);
    const stored = await hostsOf(names);
    return Object.keys(hosts).length === names.length && names.every((name) => stored[name] === hosts[name]) && hosts;
  }, what);
}

/** Creates powered-on VMs and, for those given one, moves each to its host. */
async function createVms(placement: Record<string, string | null>): Promise<void> {
  for (const [name, host] of Object.entries(placement)) {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec() }, harness.pool, host ? { requestedHost: host } : {});
  }
  await waitFor(async () => {
    const hosts = await runningOn(Object.keys(placement));
    return Object.entries(placement).every(([name, host]) => hosts[name] && (!host || hosts[name] === host));
  }, `${Object.keys(placement).join(", ")} created where asked`);
}

async function deleteAll(): Promise<void> {
  const { rows } = await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'VirtualMachine' AND deletion_timestamp IS NULL`);
  for (const { name } of rows) await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name }, harness.pool);
  await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine'`)).rows.length === 0, "every VM deleted");
}

async function cluster() {
  const { rows } = await harness.pool.query<{ generation: number; annotations: Record<string, string>; status: { ruleViolations?: { rule: string; message: string }[]; drs?: { lastRun?: string; recommendations: { vm: { name: string }; to: string }[] } } }>(
    `SELECT generation::int, annotations, status FROM resources WHERE kind = 'Cluster' AND name = $1`,
    [CLUSTER],
  );
  return rows[0]!;
}

async function setRules(rules: DrsRule[]) {
  await configureDrsRules(OPERATOR, { name: CLUSTER, rules, expectedGeneration: (await cluster()).generation }, harness.pool);
}

async function setOverrides(overrides: VmOverride[]) {
  await configureVmOverrides(OPERATOR, { name: CLUSTER, overrides, expectedGeneration: (await cluster()).generation }, harness.pool);
}

/** Asks for a DRS pass and waits until the cluster has made it. */
async function runDrsPass() {
  await requestDrsPasses(createReconcileContext(harness.pool, harness.provider, harness.config));
  const requested = (await cluster()).annotations["skylight.io/drs-requested"];
  return waitFor(async () => {
    const current = await cluster();
    return current.status.drs?.lastRun === requested && current;
  }, "the DRS pass");
}

async function ruleAlarm(): Promise<string | null> {
  const { rows } = await harness.pool.query<{ status: string }>(
    `SELECT s.status FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'VM/Host rule violated' AND s.object_name = $1`,
    [CLUSTER],
  );
  return rows[0]?.status ?? null;
}

/** The host's maintenance message once its state is `state` ("none" once no maintenance is under way), or null if it never is. */
function maintenance(host: string, state: string | null) {
  return waitFor(async () => {
    const { rows } = await harness.pool.query<{ state: string | null; message: string | null }>(
      `SELECT status->'maintenance'->>'state' AS state, status->'maintenance'->>'message' AS message FROM resources WHERE kind = 'Host' AND name = $1`,
      [host],
    );
    return rows[0]?.state === state && (rows[0].message ?? "none");
  }, `maintenance of ${host} ${state ?? "cleared"}`).catch(() => null);
}

/** Where placeMany puts small VMs of these names in one batch, with or without the cluster's rules; nothing is kept. */
async function placedInOneBatch(names: string[], withRules: boolean): Promise<(string | null)[]> {
  const client = await harness.pool.connect();
  try {
    await client.query("BEGIN");
    const preference = withRules ? await batchRulePreference(client, CLUSTER, names.map((name) => ({ key: ref(name), running: true }))) : undefined;
    const small = { cpus: 2, memoryMiB: 4096, reservedMemoryMiB: 0, reservedCpuMhz: 0 };
    return await placeMany(client, CLUSTER, { cpu: 4, memory: 1.25 }, names.map(() => small), preference);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

/** The VM's condition of that type once it is False. */
function falseCondition(name: string, type: string) {
  return waitFor(async () => {
    const { rows } = await harness.pool.query<{ reason: string; message: string }>(
      `SELECT c->>'reason' AS reason, c->>'message' AS message FROM resources, jsonb_array_elements(status->'conditions') AS c
        WHERE kind = 'VirtualMachine' AND name = $1 AND c->>'type' = $2 AND c->>'status' = 'False'`,
      [name, type],
    );
    return rows[0];
  }, `${name}'s ${type} condition False`);
}

async function dropHostRequests() {
  await harness.pool.query(`UPDATE resources SET annotations = annotations - $1 WHERE kind = 'VirtualMachine'`, [REQUESTED_HOST_ANNOTATION]);
}

describe("VM/Host rules", () => {
  it("places the VMs of a Separate Virtual Machines rule on different hosts, in a batch and one by one, and places none where it cannot", async () => {
    // esx-1 is by far the emptiest host: without the rules, every new VM would go there.
    await createVms({ "f-1": ESX2, "f-2": ESX2, "f-3": ESX2, "f-4": ESX3, "f-5": ESX3, "f-6": ESX3 });
    await dropHostRequests();
    // The batch path's choice, made directly and rolled back: one batch of three puts them all on esx-1, unless the rule says otherwise.
    expect(await placedInOneBatch(["p-1", "p-2", "p-3"], false)).toEqual([ESX1, ESX1, ESX1]);
    expect(new Set(await placedInOneBatch(["p-1", "p-2", "p-3"], true)).size).toBe(3);
    await Promise.all(["p-1", "p-2", "p-3"].map((name) => createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec() }, harness.pool)));
    const together = await waitRunning(["p-1", "p-2", "p-3"]);
    expect(new Set(Object.values(together)).size).toBe(3);

    for (const name of ["q-1", "q-2", "q-3"]) {
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec() }, harness.pool);
      await waitRunning([name]);
    }
    expect(new Set(Object.values(await hostsOf(["q-1", "q-2", "q-3"]))).size).toBe(3);

    // A fourth VM kept apart from three on three hosts has nowhere to go, and says which rule keeps it waiting.
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "q-4", spec: vmSpec() }, harness.pool);
    const waiting = await falseCondition("q-4", "PlacementReady");
    expect(waiting.message).toBe(
      `No host in cluster ${CLUSTER} can take q-4 within its VM/Host rules: rule "apart-q" rules out ${ESX1}, ${ESX2}, ${ESX3}, and the other hosts lack room or cannot take VMs.`,
    );
    expect((await hostsOf(["q-4"]))["q-4"]).toBeNull();
    await deleteAll();
  });

  it("raises the rule alarm on a violation, and DRS fixes it without creating another", async () => {
    await setRules([]);
    await createVms({ "d-1": ESX1, "d-2": ESX1, "d-3": ESX2 });
    await dropHostRequests();
    // d-3 may never share esx-1 with d-1: the fix of d-1 and d-2 has to leave it alone.
    await setRules([separate("apart-d", ["d-1", "d-2"]), separate("apart-d3", ["d-1", "d-3"])]);
    const violated = await waitFor(async () => (await cluster()).status.ruleViolations, "the violation reported");
    expect(violated).toEqual([
      { rule: "apart-d", message: `Rule "apart-d" (Separate Virtual Machines) is violated: ${ref("d-1")} and ${ref("d-2")} run on the same host ${ESX1}.` },
    ]);
    await waitFor(async () => (await ruleAlarm()) === "yellow", "the VM/Host rule violated alarm");
    const { rows: events } = await harness.pool.query<{ message: string }>(`SELECT message FROM events WHERE reason = 'Cluster.ruleViolated'`);
    expect(events.map((event) => event.message)).toEqual([violated[0]!.message]);

    await runDrsPass();
    const fixed = await waitFor(async () => {
      const hosts = await runningOn(["d-1", "d-2", "d-3"]);
      return hosts["d-1"] !== hosts["d-2"] && hosts["d-1"] !== hosts["d-3"] && Object.keys(hosts).length === 3 && hosts;
    }, "DRS moves d-1 away from d-2");
    expect(fixed["d-1"]).toBe(ESX3);
    // A state alarm whose condition no longer holds is cleared: it turns green and its row goes.
    await waitFor(async () => (await ruleAlarm()) === null, "the alarm cleared");
    expect((await cluster()).status.ruleViolations).toBeUndefined();
    const { rows: moves } = await harness.pool.query<{ description: string }>(
      `SELECT description FROM tasks WHERE operation = 'VirtualMachine.migrate' AND initiator = 'vSphere DRS'`,
    );
    expect(moves.map((move) => move.description)).toEqual([`Migrate virtual machine d-1 to ${ESX3}`]);
  });

  it("DRS balances without breaking a rule, and never moves a VM whose override disables it", async () => {
    await deleteAll();
    await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 5 } }, harness.pool);
    await createVms({ "k-1": ESX1, "k-2": ESX1, "k-3": ESX1, "k-4": ESX1 });
    await dropHostRequests();
    await setRules([{ name: "together-k", enabled: true, type: "affinity", vms: ["k-1", "k-2", "k-3", "k-4"].map(ref) }]);
    const pass = await runDrsPass();
    expect(pass.status.drs?.recommendations).toEqual([]);
    expect(Object.values(await runningOn(["k-1", "k-2", "k-3", "k-4"]))).toEqual([ESX1, ESX1, ESX1, ESX1]);

    // Without the rule the same pass would move them; disabled by their overrides, they stay.
    await setRules([]);
    await setOverrides(["k-1", "k-2", "k-3", "k-4"].map((name) => ({ vm: ref(name), drsAutomationLevel: "disabled" })));
    await runDrsPass();
    expect(Object.values(await runningOn(["k-1", "k-2", "k-3", "k-4"]))).toEqual([ESX1, ESX1, ESX1, ESX1]);

    // A VM set to Manual in a fully automated cluster gets a recommendation instead of a move.
    await setOverrides([{ vm: ref("k-1"), drsAutomationLevel: "manual" }, ...["k-2", "k-3", "k-4"].map((name) => ({ vm: ref(name), drsAutomationLevel: "disabled" as const }))]);
    const manual = await runDrsPass();
    expect(manual.status.drs?.recommendations.map((recommendation) => recommendation.vm.name)).toEqual(["k-1"]);
    expect((await runningOn(["k-1"]))["k-1"]).toBe(ESX1);

    // Fully automated again, without the rule: DRS spreads them.
    await setOverrides([]);
    await runDrsPass();
    await waitFor(async () => new Set(Object.values(await runningOn(["k-1", "k-2", "k-3", "k-4"]))).size > 1, "DRS spreads k-*");
    await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 } }, harness.pool);
  });

  it("maintenance mode keeps anti-affinity VMs apart, a must VM–Host rule blocks the move with the rule's name, and a VM with DRS disabled waits for the operator", async () => {
    await deleteAll();
    await setOverrides([]);
    // esx-2 is the emptiest host: without the rule, m-1 would go there, next to m-2.
    await createVms({ "m-1": ESX1, "m-2": ESX2, "f-1": ESX3, "f-2": ESX3 });
    await dropHostRequests();
    await setRules([separate("apart-m", ["m-1", "m-2"])]);
    await enterMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);
    await waitFor(async () => (await runningOn(["m-1"]))["m-1"] === ESX3, "m-1 moved to esx-3", 20_000, async () => ({
      vms: (await harness.pool.query(`SELECT name, annotations, status->'host' AS host, status->'migration' AS m FROM resources WHERE kind = 'VirtualMachine'`)).rows,
      hosts: (await harness.pool.query(`SELECT name, status->'maintenance' AS m FROM resources WHERE kind = 'Host'`)).rows,
      alloc: (await harness.pool.query(`SELECT * FROM host_allocations`)).rows,
    }));
    expect((await runningOn(["m-2"]))["m-2"]).toBe(ESX2);
    await exitMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);

    await createVms({ "pin-1": ESX1 });
    await dropHostRequests();
    await setRules([separate("apart-m", ["m-1", "m-2"]), { name: "pin", enabled: true, type: "vmHost", vms: [ref("pin-1")], hosts: [ESX1], policy: "mustRunOn" }]);
    await expect(migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "pin-1", host: ESX2 }, harness.pool)).rejects.toThrow(
      `Moving pin-1 to ${ESX2} violates rule "pin" (Must run on hosts in group).`,
    );
    await enterMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);
    const blocked = await maintenance(ESX1, "Blocked");
    expect(blocked).toBe(`Cannot enter maintenance mode: no other host can take pin-1 (rule "pin" rules out ${ESX2}, ${ESX3}) without breaking a must VM/Host rule.`);
    expect((await runningOn(["pin-1"]))["pin-1"]).toBe(ESX1);
    await exitMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);
    expect(await maintenance(ESX1, null)).toBe("none");

    // A VM whose override disables DRS is not moved for maintenance mode either: the host waits for the operator to move it.
    await setRules([]);
    await setOverrides([{ vm: ref("pin-1"), drsAutomationLevel: "disabled" }]);
    await enterMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);
    expect(await maintenance(ESX1, "Entering")).toBe("Entering maintenance mode: 0 of 1 VMs migrated; waiting for you to migrate pin-1 (DRS is disabled for it by its VM override)");
    expect((await runningOn(["pin-1"]))["pin-1"]).toBe(ESX1);
    await migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "pin-1", host: ESX2 }, harness.pool);
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND (status->>'inMaintenanceMode')::boolean`, [ESX1])).rows.length === 1, "esx-1 in maintenance mode");
    await exitMaintenanceMode(OPERATOR, { name: ESX1 }, harness.pool);
  });

  it("vSphere HA restarts anti-affinity VMs apart, highest priority first, breaks a should rule but no must rule, and leaves a VM whose restart priority is disabled", async () => {
    await deleteAll();
    await createVms({ "h-1": ESX1, "h-low": ESX1, "h-off": ESX1, "h-must": ESX1, "h-2": ESX2, "f-1": ESX3, "f-2": ESX3 });
    await dropHostRequests();
    const onEsx1 = (name: string, vm: string, policy: "mustRunOn" | "shouldRunOn"): DrsRule => ({ name, enabled: true, type: "vmHost", vms: [ref(vm)], hosts: [ESX1], policy });
    await setRules([separate("apart-h", ["h-1", "h-2"]), onEsx1("stay", "h-low", "shouldRunOn"), onEsx1("pinned", "h-must", "mustRunOn")]);
    await setOverrides([
      { vm: ref("h-1"), haRestartPriority: "highest" },
      { vm: ref("h-low"), haRestartPriority: "lowest" },
      { vm: ref("h-off"), haRestartPriority: "disabled" },
    ]);
    await failHost(ADMIN, { name: ESX1 }, harness.provider, harness.pool);
    const restarted = await waitFor(async () => {
      const hosts = await runningOn(["h-1", "h-low"]);
      return hosts["h-1"] !== undefined && hosts["h-low"] !== undefined && hosts["h-1"] !== ESX1 && hosts["h-low"] !== ESX1 && hosts;
    }, "h-1 and h-low restarted", 30_000);
    expect(restarted["h-1"]).toBe(ESX3);
    const { rows: tasks } = await harness.pool.query<{ target_name: string }>(
      `SELECT target_name FROM tasks WHERE operation = 'HA.restartVirtualMachine' ORDER BY queued_at, id`,
    );
    expect(tasks.map((task) => task.target_name)).toEqual(["h-1", "h-low"]);
    expect((await falseCondition("h-off", "Synced")).reason).toBe("HARestartDisabled");
    expect((await hostsOf(["h-off"]))["h-off"]).toBe(ESX1);
    // Only esx-1 may run h-must: vSphere HA does not restart it elsewhere, and says which rule keeps it.
    expect((await falseCondition("h-must", "Synced")).message).toBe(
      `No host in cluster ${CLUSTER} can take it without breaking a must rule (rule "pinned" rules out ${ESX2}, ${ESX3}), and the other hosts lack room or cannot take VMs.`,
    );
    expect((await hostsOf(["h-must"]))["h-must"]).toBe(ESX1);
    await recoverHost(ADMIN, { name: ESX1 }, harness.provider, harness.pool);
  });
});
