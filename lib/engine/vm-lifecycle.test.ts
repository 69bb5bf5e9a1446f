import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError } from "@/lib/errors";
import { createVirtualMachine, deleteVirtualMachine, restartVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { resyncAll } from "@/lib/engine/singleton-loops";
import { createHarness, isReady, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  harness.startEngine();
});
afterAll(() => harness.stop());

async function taskStates(name: string) {
  const { rows } = await harness.pool.query<{ operation: string; state: string; error: string | null }>(
    `SELECT operation, state, error FROM tasks WHERE target_name = $1 ORDER BY queued_at`,
    [name],
  );
  return rows;
}

const readyWith = (name: string, powerState: string) =>
  waitFor(async () => {
    const vm = await vmStatus(harness.pool, name);
    return vm && isReady(vm.status) && vm.status.powerState === powerState && vm.status.observedGeneration === vm.generation && vm;
  }, `${name} ${powerState} and Ready`, 20_000, async () => ({
    vm: await vmStatus(harness.pool, name),
    queue: (await harness.pool.query("SELECT * FROM reconcile_queue")).rows,
    allocations: (await harness.pool.query("SELECT * FROM host_allocations")).rows,
  }));

describe("VirtualMachine lifecycle", () => {
  it("creates a VM: placed on a host, created once in the simulator, powered on, Ready, task succeeded", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "web-1", spec: vmSpec(), labels: { app: "web" } });
    const vm = await readyWith("web-1", "PoweredOn");
    expect(vm.status.host).toMatch(/^esx-\d\.test$/);
    expect(vm.status.uniqueID).toMatch(/^vm-/);
    expect((vm.status.network as { primaryIP4?: string }).primaryIP4).toMatch(/^10\./);
    const conditions = Object.fromEntries(vm.status.conditions!.map((condition) => [condition.type, condition.status]));
    expect(conditions).toMatchObject({ Ready: "True", Synced: "True", VirtualMachineCreated: "True", PlacementReady: "True" });

    const simulated = await harness.provider.findVm(`${NAMESPACE}/web-1`);
    expect(simulated).toMatchObject({ id: vm.status.uniqueID, powerState: "PoweredOn", host: vm.status.host, cpus: 2, memoryMiB: 4096 });
    expect(await taskStates("web-1")).toEqual([{ operation: "VirtualMachine.create", state: "success", error: null }]);
  });

  it("keeps vm-operator fields Skylight does not act on", async () => {
    const bootstrap = { cloudInit: { rawCloudConfig: { name: "user-data", key: "value" } } };
    const { object } = await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "kept-1", spec: vmSpec({ bootstrap, volumes: [{ name: "data" }] }) });
    expect(object.spec).toMatchObject({ bootstrap, volumes: [{ name: "data" }], powerOffMode: "TrySoft" });
  });

  it("follows vm-operator's power transitions: off, on, suspend, and refuses suspending a powered-off VM", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "power-1", spec: vmSpec() });
    await readyWith("power-1", "PoweredOn");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "power-1", powerState: "Suspended" });
    await readyWith("power-1", "Suspended");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "power-1", powerState: "PoweredOn" });
    await readyWith("power-1", "PoweredOn");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "power-1", powerState: "PoweredOff" });
    // A guest that is not running has no address to report.
    expect((await readyWith("power-1", "PoweredOff")).status.network).toBeUndefined();
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "power-1", powerState: "Suspended" })).rejects.toMatchObject({
      field: "spec.powerState",
      message: "Only a powered-on VM can be suspended; this one is powered off.",
    });
    expect((await harness.provider.findVm(`${NAMESPACE}/power-1`))?.powerState).toBe("PoweredOff");
    const operations = (await taskStates("power-1")).map((task) => `${task.operation}:${task.state}`);
    expect(operations).toEqual([
      "VirtualMachine.create:success",
      "VirtualMachine.suspend:success",
      "VirtualMachine.powerOn:success",
      "VirtualMachine.powerOff:success",
    ]);
  });

  it("shuts the guest OS down softly or powers off hard, as asked, and says which in the task", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "shutdown-1", spec: vmSpec() });
    await readyWith("shutdown-1", "PoweredOn");
    const soft = await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "shutdown-1", powerState: "PoweredOff", powerOffMode: "Soft" });
    expect(soft.object.spec).toMatchObject({ powerState: "PoweredOff", powerOffMode: "Soft" });
    await readyWith("shutdown-1", "PoweredOff");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "shutdown-1", powerState: "PoweredOn" });
    await readyWith("shutdown-1", "PoweredOn");
    const hard = await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "shutdown-1", powerState: "PoweredOff", powerOffMode: "Hard" });
    expect(hard.object.spec.powerOffMode).toBe("Hard");
    await readyWith("shutdown-1", "PoweredOff");
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "shutdown-1", powerState: "PoweredOn", powerOffMode: "Soft" })).rejects.toMatchObject({
      field: "spec.powerOffMode",
    });
    const tasks = (await taskStates("shutdown-1")).map((task) => `${task.operation}:${task.state}`);
    expect(tasks).toEqual(["VirtualMachine.create:success", "VirtualMachine.shutdownGuest:success", "VirtualMachine.powerOn:success", "VirtualMachine.powerOff:success"]);
  });

  it("resets (hard) or restarts the guest OS (soft) of a running VM as a power cycle, once per request, and refuses a powered-off VM", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "restart-1", spec: vmSpec() });
    const running = await readyWith("restart-1", "PoweredOn");
    const cycles: string[] = [];
    const setPowerState = harness.provider.setPowerState;
    harness.provider.setPowerState = (id, state, mode) => {
      if (id === running.status.uniqueID) cycles.push(`${state}:${mode}`);
      return setPowerState(id, state, mode);
    };
    try {
      const reset = await restartVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "restart-1", mode: "Hard" });
      expect(reset.object.spec).toMatchObject({ restartMode: "Hard", nextRestartTime: expect.any(String) });
      let vm = await readyWith("restart-1", "PoweredOn");
      expect(vm.status.lastRestartTime).toBe(reset.object.spec.nextRestartTime);
      await restartVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "restart-1", mode: "Soft", expectedResourceVersion: vm.resource_version });
      vm = await readyWith("restart-1", "PoweredOn");
      await resyncAll(harness.pool);
      await readyWith("restart-1", "PoweredOn");
      expect(cycles).toEqual(["PoweredOff:Hard", "PoweredOn:Hard", "PoweredOff:Soft", "PoweredOn:Hard"]);
    } finally {
      harness.provider.setPowerState = setPowerState;
    }
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "restart-1", powerState: "PoweredOff" });
    await readyWith("restart-1", "PoweredOff");
    await expect(restartVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "restart-1", mode: "Hard" })).rejects.toMatchObject({
      field: "spec.nextRestartTime",
      message: "Only a powered-on VM can be reset; this one is powered off.",
    });
    const tasks = (await taskStates("restart-1")).map((task) => `${task.operation}:${task.state}`);
    expect(tasks).toEqual(["VirtualMachine.create:success", "VirtualMachine.reset:success", "VirtualMachine.restartGuest:success", "VirtualMachine.powerOff:success"]);
  });

  it("refuses a stale resourceVersion with a conflict and writes nothing", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "stale-1", spec: vmSpec() });
    const before = await readyWith("stale-1", "PoweredOn");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "stale-1", powerState: "PoweredOff", expectedResourceVersion: before.resource_version });
    const tasksBefore = (await taskStates("stale-1")).length;
    const afterFirst = await vmStatus(harness.pool, "stale-1");

    const stale = setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "stale-1", powerState: "PoweredOn", expectedResourceVersion: before.resource_version });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const afterStale = await vmStatus(harness.pool, "stale-1");
    expect(afterStale!.generation).toBe(afterFirst!.generation);
    expect((await taskStates("stale-1")).length).toBe(tasksBefore);
  });

  it("names the field when input breaks a rule, and creates nothing", async () => {
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "Bad_Name", spec: vmSpec() })).rejects.toThrow(/RFC 1123/);
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "no-class", spec: vmSpec({ className: "huge" }) })).rejects.toMatchObject({
      field: "spec.className",
    });
    await expect(createVirtualMachine(OPERATOR, { namespace: "nowhere", name: "x", spec: vmSpec() })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await vmStatus(harness.pool, "no-class")).toBeNull();
  });

  it("deletes through the finalizer: the object goes only after the simulator's VM is gone", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "gone-1", spec: vmSpec() });
    await readyWith("gone-1", "PoweredOn");
    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "gone-1" });
    await waitFor(async () => (await vmStatus(harness.pool, "gone-1")) === null, "gone-1 removed");
    expect(await harness.provider.findVm(`${NAMESPACE}/gone-1`)).toBeNull();
    expect((await taskStates("gone-1")).at(-1)).toMatchObject({ operation: "VirtualMachine.delete", state: "success" });
  });

  it("repairs drift: a VM powered off behind Skylight's back is powered on again at resync", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "drift-1", spec: vmSpec() });
    const vm = await readyWith("drift-1", "PoweredOn");
    await harness.provider.setPowerState(String(vm.status.uniqueID), "PoweredOff", "Hard");
    await harness.provider.findVm(`${NAMESPACE}/drift-1`);
    await resyncAll(harness.pool);
    await waitFor(async () => (await harness.provider.findVm(`${NAMESPACE}/drift-1`))?.powerState === "PoweredOn", "drift repaired");
    // The provider powers the VM on before the reconcile commits its event, so wait for the commit.
    const driftEvents = async () =>
      (await harness.pool.query(`SELECT message FROM events WHERE object_name = 'drift-1' AND reason = 'VirtualMachine.driftRepaired'`)).rows;
    await waitFor(async () => (await driftEvents()).length > 0, "drift event recorded");
    expect(await driftEvents()).toHaveLength(1);
  });
});
