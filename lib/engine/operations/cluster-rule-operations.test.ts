import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureDrsRules, configureVmOverrides } from "@/lib/engine/operations/cluster-rule-operations";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { renameVirtualMachine } from "@/lib/engine/operations/vm-settings";
import type { DrsRule } from "@/lib/engine/schemas";
import { ConflictError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import { CLUSTER, createHarness, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";

const DEVELOPER = { id: "test-developer", username: "dev", role: "developer" as const };
const apart: DrsRule = { name: "apart", enabled: true, type: "antiAffinity", vms: [`${NAMESPACE}/web-1`, `${NAMESPACE}/web-2`] };
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ hosts: 2 });
  harness.startEngine();
  for (const name of ["web-1", "web-2"]) await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ powerState: "PoweredOff" }) }, harness.pool);
}, 60_000);
afterAll(() => harness.stop());

async function cluster() {
  const { rows } = await harness.pool.query<{ generation: number; spec: { rules?: DrsRule[]; vmOverrides?: unknown[] } }>(
    `SELECT generation::int, spec FROM resources WHERE kind = 'Cluster' AND name = $1`,
    [CLUSTER],
  );
  return rows[0]!;
}

/** A refusal changes nothing: the cluster keeps its generation and no task is written. */
async function refused(write: () => Promise<unknown>, error: { field?: string; message: string; type: new (...args: never[]) => Error }) {
  const before = await cluster();
  const tasks = (await harness.pool.query(`SELECT 1 FROM tasks`)).rows.length;
  const thrown = await write().then(() => null, (caught: unknown) => caught);
  expect(thrown).toBeInstanceOf(error.type);
  expect((thrown as Error).message).toBe(error.message);
  if (error.field) expect((thrown as InvalidInputError).field).toBe(error.field);
  expect(await cluster()).toEqual(before);
  expect((await harness.pool.query(`SELECT 1 FROM tasks`)).rows.length).toBe(tasks);
}

describe("Cluster › Configure › VM/Host Rules and VM Overrides", () => {
  it("saves a rule with the generation the form opened with, as a task and an audit event naming it", async () => {
    const { generation } = await cluster();
    const { taskId } = await configureDrsRules(OPERATOR, { name: CLUSTER, rules: [apart], expectedGeneration: generation }, harness.pool);
    expect((await cluster()).spec.rules).toEqual([apart]);
    const { rows } = await harness.pool.query<{ description: string; initiator: string }>(`SELECT description, initiator FROM tasks WHERE id = $1`, [taskId]);
    expect(rows[0]).toEqual({ description: `Create VM/Host rule "apart" on ${CLUSTER}`, initiator: "olivia" });
    const { rows: events } = await harness.pool.query<{ reason: string }>(`SELECT reason FROM events WHERE task_id = $1`, [taskId]);
    expect(events.map((event) => event.reason)).toEqual(["Cluster.configureDrsRules"]);
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM tasks WHERE id = $1 AND state = 'success'`, [taskId])).rows.length > 0, "the task done");

    const edited = { ...apart, enabled: false };
    const { taskId: editTask } = await configureDrsRules(OPERATOR, { name: CLUSTER, rules: [edited], expectedGeneration: generation + 1 }, harness.pool);
    const { rows: edit } = await harness.pool.query<{ description: string }>(`SELECT description FROM tasks WHERE id = $1`, [editTask]);
    expect(edit[0]!.description).toBe(`Edit VM/Host rule "apart" on ${CLUSTER}`);
  });

  it("keeps a deleted VM in its rule without blocking other changes, and refuses it in a new one", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "gone-1", spec: vmSpec({ powerState: "PoweredOff" }) }, harness.pool);
    const withGone: DrsRule = { name: "with-gone", enabled: true, type: "affinity", vms: [`${NAMESPACE}/web-1`, `${NAMESPACE}/gone-1`] };
    const { rules = [] } = (await cluster()).spec;
    await configureDrsRules(OPERATOR, { name: CLUSTER, rules: [...rules, withGone], expectedGeneration: (await cluster()).generation }, harness.pool);
    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "gone-1" }, harness.pool);
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = 'gone-1'`)).rows.length === 0, "gone-1 deleted");

    const disabled = { ...withGone, enabled: false };
    await configureDrsRules(OPERATOR, { name: CLUSTER, rules: [...rules, disabled], expectedGeneration: (await cluster()).generation }, harness.pool);
    expect((await cluster()).spec.rules).toEqual([...rules, disabled]);
    await refused(() => configureDrsRules(OPERATOR, { name: CLUSTER, rules: [...rules, disabled, { ...withGone, name: "new" }] }, harness.pool), {
      type: InvalidInputError,
      field: `rules.${rules.length + 1}.vms`,
      message: `Rule "new": VM ${NAMESPACE}/gone-1 is not in cluster ${CLUSTER}.`,
    });
    await configureDrsRules(OPERATOR, { name: CLUSTER, rules, expectedGeneration: (await cluster()).generation }, harness.pool);
  });

  it("keeps a renamed VM in its rules and its override", async () => {
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE name = 'web-1' AND status ? 'uniqueID'`)).rows.length > 0, "web-1 created");
    await configureDrsRules(OPERATOR, { name: CLUSTER, rules: [apart], expectedGeneration: (await cluster()).generation }, harness.pool);
    await configureVmOverrides(OPERATOR, { name: CLUSTER, overrides: [{ vm: `${NAMESPACE}/web-1`, haRestartPriority: "high" }], expectedGeneration: (await cluster()).generation }, harness.pool);
    await renameVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "web-1", newName: "web-one" }, harness.pool);
    const { spec } = await cluster();
    expect(spec.rules).toEqual([{ ...apart, vms: [`${NAMESPACE}/web-one`, `${NAMESPACE}/web-2`] }]);
    expect(spec.vmOverrides).toEqual([{ vm: `${NAMESPACE}/web-one`, haRestartPriority: "high" }]);
    await renameVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "web-one", newName: "web-1" }, harness.pool);
    expect((await cluster()).spec.rules).toEqual([apart]);
  });

  it("refuses a stale generation as changed by someone else", async () => {
    const { generation } = await cluster();
    await refused(() => configureDrsRules(OPERATOR, { name: CLUSTER, rules: [], expectedGeneration: generation - 1 }, harness.pool), {
      type: ConflictError,
      message: `Cluster "${CLUSTER}" was changed by someone else since you opened it. Reload to see the current state, then try again.`,
    });
  });

  it("refuses a developer before looking at the rules", async () => {
    await refused(() => configureDrsRules(DEVELOPER, { name: CLUSTER, rules: [apart] }, harness.pool), {
      type: ForbiddenError,
      message: "Only administrators and operators can operate the inventory.",
    });
    await refused(() => configureVmOverrides(DEVELOPER, { name: CLUSTER, overrides: [] }, harness.pool), { type: ForbiddenError, message: "Only administrators and operators can operate the inventory." });
  });

  it("names the field and the rule a bad rule breaks", async () => {
    const cases: [unknown, string, string][] = [
      [[{ ...apart, vms: [`${NAMESPACE}/web-1`, `${NAMESPACE}/nope`] }], "rules.0.vms", `Rule "apart": VM ${NAMESPACE}/nope is not in cluster ${CLUSTER}.`],
      [[{ ...apart, vms: [`${NAMESPACE}/web-1`] }], "rules.0.vms", `Rule "apart": Separate Virtual Machines needs at least 2 VMs.`],
      [[apart, { ...apart, type: "affinity" }], "rules.1.name", `Rule "apart": a rule with this name already exists in ${CLUSTER}; rule names must be unique.`],
      [[apart, { ...apart, name: "together", type: "affinity" }], "rules.0.vms", `Rule "apart" conflicts with rule "together": the same VMs cannot be kept together and separated.`],
      [[{ ...apart, type: "vmHost", policy: "mustRunOn", hosts: ["esx-9.test"] }], "rules.0.hosts", `Rule "apart": host esx-9.test is not in cluster ${CLUSTER}.`],
      [[{ ...apart, type: "vmHost", hosts: ["esx-1.test"] }], "rules.0.policy", `Rule "apart": choose Must run on, Should run on, Must not run on or Should not run on.`],
      [[{ ...apart, name: "" }], "rules.0.name", "Rule name is required"],
      [[{ ...apart, vms: ["web-1"] }], "rules.0.vms.0", "Rule vms must name VMs as namespace/name"],
      [{ __proto__: { polluted: true } }, "rules", "Rules must be a list"],
    ];
    for (const [rules, field, message] of cases) {
      await refused(() => configureDrsRules(OPERATOR, { name: CLUSTER, rules }, harness.pool), { type: InvalidInputError, field, message });
    }
    await refused(() => configureVmOverrides(OPERATOR, { name: CLUSTER, overrides: [{ vm: `${NAMESPACE}/ghost`, haRestartPriority: "high" }] }, harness.pool), {
      type: InvalidInputError,
      field: "overrides.0.vm",
      message: `VM ${NAMESPACE}/ghost is not in cluster ${CLUSTER}.`,
    });
    await refused(() => configureVmOverrides(OPERATOR, { name: CLUSTER, overrides: [{ vm: `${NAMESPACE}/web-1`, haRestartPriority: "urgent" }] }, harness.pool), {
      type: InvalidInputError,
      field: "overrides.0.haRestartPriority",
      message: "VM override haRestartPriority must be disabled, lowest, low, medium, high or highest",
    });
  });
});
