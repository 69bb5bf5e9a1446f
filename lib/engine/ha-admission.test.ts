import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureHa } from "@/lib/engine/operations/cluster-operations";
import { createVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import { CLUSTER, convergedVm, createHarness, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";
import { InvalidInputError } from "@/lib/errors";

let harness: Harness;
beforeAll(async () => {
  // Three hosts of 16 GiB: with one host failure tolerated, the two that remain hold 32 GiB of
  // reservations, four guaranteed-medium VMs (8 GiB reserved each).
  harness = await createHarness({ hosts: 3, hostMemoryMiB: 16 * 1024 });
  const engine = harness.startEngine();
  await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM host_allocations WHERE schedulable`)).rowCount === 3, "3 hosts schedulable");
  // The first power-ons are admitted with no engine running, so none is placed yet: admission
  // must count what they are about to reserve, not only what placed VMs hold.
  await engine.stop();
  harness.engines.splice(harness.engines.indexOf(engine), 1);
});
afterAll(() => harness.stop());

const guaranteed = (powerState: "PoweredOn" | "PoweredOff" = "PoweredOn") => vmSpec({ className: "guaranteed-medium", powerState });
const count = async (sql: string) => Number((await harness.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`)).rows[0]!.n);
const REFUSAL = /^vSphere HA admission control: powering on (\S+) would leave too little failover capacity in test-cluster to tolerate 1 host failure \(needs 8 GiB more memory in reserve\)\.$/;

describe("vSphere HA admission control", () => {
  it("admits power-ons while the hosts left after the largest fails hold every reservation, placed or not", async () => {
    for (const name of ["g-1", "g-2", "g-3", "g-4"]) {
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: guaranteed() });
    }
    // Best-effort VMs reserve nothing, so they never use up failover capacity.
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "b-1", spec: vmSpec() });
    expect(await count(`resources WHERE kind = 'VirtualMachine'`)).toBe(5);
  });

  it("refuses a create with power on that would break failover capacity, and writes nothing", async () => {
    const tasks = await count("tasks");
    const error = await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "g-5", spec: guaranteed() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(REFUSAL);
    expect((error as Error).message).toContain("powering on g-5");
    expect(await vmStatus(harness.pool, "g-5")).toBeNull();
    expect(await count("tasks")).toBe(tasks);
  });

  it("refuses a power-on the same way and leaves the VM as it was; a powered-off create is admitted", async () => {
    harness.startEngine();
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "g-5", spec: guaranteed("PoweredOff") });
    await waitFor(async () => (await vmStatus(harness.pool, "g-5"))?.status.powerState === "PoweredOff", "g-5 created powered off");
    const before = await vmStatus(harness.pool, "g-5");
    const tasks = await count("tasks");
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-5", powerState: "PoweredOn" })).rejects.toThrow(REFUSAL);
    const after = await vmStatus(harness.pool, "g-5");
    expect(after!.resource_version).toBe(before!.resource_version);
    expect(await count("tasks")).toBe(tasks);
  });

  it("admits the power-on once HA is off, or once another VM's power-off frees the reserve", async () => {
    await configureHa(OPERATOR, { name: CLUSTER, ha: { enabled: false, hostFailuresToTolerate: 1 } });
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-5", powerState: "PoweredOn" });
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-5", powerState: "PoweredOff" });

    await configureHa(OPERATOR, { name: CLUSTER, ha: { enabled: true, hostFailuresToTolerate: 1 } });
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-5", powerState: "PoweredOn" })).rejects.toThrow(REFUSAL);
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-1", powerState: "PoweredOff" });
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "g-5", powerState: "PoweredOn" });
  });

  it("counts failures to tolerate: with two of three hosts failed, only 16 GiB of reservations can restart", async () => {
    await configureHa(OPERATOR, { name: CLUSTER, ha: { enabled: true, hostFailuresToTolerate: 2 } });
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "g-6", spec: guaranteed() })).rejects.toThrow(
      "vSphere HA admission control: powering on g-6 would leave too little failover capacity in test-cluster to tolerate 2 host failures (needs 24 GiB more memory in reserve).",
    );
  });

  it("refuses a hot-add that grows a running VM's reservation past failover capacity; one that reserves nothing more is admitted", async () => {
    // Tolerating two failures, one 16 GiB host must hold g-2..g-5's 32 GiB: capacity is already short.
    await convergedVm(harness.pool, "g-2", "PoweredOn");
    const settings = (className: string, memoryMiB: number) => ({ className, hardware: { cpus: 2, memoryMiB }, diskGiB: 20, adapters: [] });
    const before = await vmStatus(harness.pool, "g-2");
    await expect(editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name: "g-2", settings: settings("guaranteed-medium", 12 * 1024) })).rejects.toThrow(
      "vSphere HA admission control: reconfiguring g-2 would leave too little failover capacity in test-cluster to tolerate 2 host failures (needs 20 GiB more memory in reserve).",
    );
    expect((await vmStatus(harness.pool, "g-2"))!.resource_version).toBe(before!.resource_version);
    // A best-effort VM reserves nothing, however large it grows.
    await convergedVm(harness.pool, "b-1", "PoweredOn");
    await editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name: "b-1", settings: settings("best-effort-small", 8 * 1024) });
  });
});
