import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine, deleteVirtualMachine, migrateVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { editVirtualMachineSettings, renameVirtualMachine } from "@/lib/engine/operations/vm-settings";
import type { VmSettingsInput } from "@/lib/engine/vm-settings-rules";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { ConflictError } from "@/lib/errors";
import { CLUSTER, convergedVm, createHarness, DATASTORE, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  for (const [name, portGroup] of [["net-a", "VM Network"], ["net-b", "dvPG-App-120"]] as const) {
    await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name, spec: { datacenter: "dc-test", portGroup } });
  }
  // A second datastore the cluster's hosts mount, and one they do not.
  const cluster = { "skylight.io/cluster": CLUSTER };
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "test-nfs", labels: cluster, spec: { datacenter: "dc-test", type: "nfs" }, status: { freeGiB: 500 } });
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "tiny-nfs", labels: cluster, spec: { datacenter: "dc-test", type: "nfs" }, status: { freeGiB: 5 } });
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "elsewhere", labels: { "skylight.io/cluster": "other" }, spec: { datacenter: "dc-test" } });
  await harness.pool.query(`UPDATE sim_hosts SET datastores = datastores || '{test-nfs}'`);
  harness.startEngine();
});
afterAll(() => harness.stop());

const settled = (name: string, powerState: string) => convergedVm(harness.pool, name, powerState);

const network = (name: string) => ({ name: "eth0", network: { kind: "Network", name } });

async function createVm(name: string, powerState: "PoweredOn" | "PoweredOff" = "PoweredOn") {
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ powerState, network: { interfaces: [network("net-a")] } }) });
  return settled(name, powerState);
}

/** The form's values for the VM as it is: class-sized, image disk (ubuntu's 20 GiB), one adapter. */
const settings = (overrides: Partial<VmSettingsInput> = {}): VmSettingsInput => ({
  className: "best-effort-small",
  hardware: null,
  diskGiB: 20,
  adapters: [{ name: "eth0", network: "net-a" }],
  ...overrides,
});

const edit = (name: string, values: VmSettingsInput, expectedGeneration?: number) =>
  editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name, settings: values, expectedGeneration });

describe("Edit Settings", () => {
  it("hot-adds CPUs, memory, disk and an adapter to a running VM; the class stays for its policy", async () => {
    const { status } = await createVm("edit-hot");
    expect(status.hardware).toEqual({ cpus: 2, memoryMiB: 4096, diskGiB: 20, networks: ["net-a"] });
    const { object } = await edit("edit-hot", settings({ hardware: { cpus: 4, memoryMiB: 6144 }, diskGiB: 50, adapters: [{ name: "eth0", network: "net-a" }, { name: "", network: "net-b" }] }));
    expect(object.spec).toMatchObject({
      className: "best-effort-small",
      hardware: { cpus: 4, memory: "6Gi" },
      advanced: { bootDiskCapacity: "50Gi" },
      network: { interfaces: [network("net-a"), { name: "eth1", network: { kind: "Network", name: "net-b" } }] },
    });
    const after = await settled("edit-hot", "PoweredOn");
    expect(after.status.hardware).toEqual({ cpus: 4, memoryMiB: 6144, diskGiB: 50, networks: ["net-a", "net-b"] });
    expect(after.status.allocation).toMatchObject({ cpus: 4, memoryMiB: 6144, reservedMemoryMiB: 0 });
    expect(await harness.provider.findVm(`${NAMESPACE}/edit-hot`)).toMatchObject({ powerState: "PoweredOn", cpus: 4, memoryMiB: 6144, diskGiB: 50 });
  });

  it("refuses, in the form's words, what needs the VM powered off, and never shrinks a disk; nothing changes", async () => {
    const { vm } = await createVm("edit-refused");
    const before = (await vmStatus(harness.pool, "edit-refused"))!.resource_version;
    await expect(edit("edit-refused", settings({ hardware: { cpus: 1, memoryMiB: 4096 } }))).rejects.toMatchObject({
      field: "cpus",
      message: "Reducing CPUs from 2 to 1 needs the VM powered off: CPUs can be hot-added but not removed while it runs.",
    });
    await expect(edit("edit-refused", settings({ hardware: { cpus: 2, memoryMiB: 2048 } }))).rejects.toMatchObject({
      field: "memoryMiB",
      message: "Reducing memory from 4 GiB to 2 GiB needs the VM powered off: memory can be hot-added but not removed while it runs.",
    });
    await expect(edit("edit-refused", settings({ adapters: [] }))).rejects.toMatchObject({ field: "adapters", message: "Removing Network adapter 1 needs the VM powered off." });
    await expect(edit("edit-refused", settings({ diskGiB: 10 }))).rejects.toMatchObject({ field: "diskGiB", message: "Hard disk 1 can only grow: it is 20 GiB and cannot shrink to 10 GiB." });
    await expect(edit("edit-refused", settings({ adapters: [{ name: "eth0", network: "nowhere" }] }))).rejects.toMatchObject({ field: "adapters", message: expect.stringContaining('network "nowhere" is not in datacenter dc-test') });
    await expect(edit("edit-refused", settings({ hardware: { cpus: 2, memoryMiB: 4097 } }))).rejects.toMatchObject({ field: "memoryMiB", message: "Memory must be a multiple of 4 MiB." });
    await expect(edit("edit-refused", settings())).rejects.toMatchObject({ field: "settings", message: "No setting was changed." });
    expect((await vmStatus(harness.pool, "edit-refused"))!.resource_version).toBe(before);
    expect(vm.generation).toBe((await vmStatus(harness.pool, "edit-refused"))!.generation);
  });

  it("shrinks CPUs and memory and removes an adapter once the VM is powered off", async () => {
    await createVm("edit-cold", "PoweredOff");
    await edit("edit-cold", settings({ hardware: { cpus: 1, memoryMiB: 1024 }, adapters: [] }));
    const { status } = await settled("edit-cold", "PoweredOff");
    expect(status.hardware).toEqual({ cpus: 1, memoryMiB: 1024, diskGiB: 20, networks: [] });
  });

  it("a class change on a running VM waits for its next power-off, as vm-operator's does", async () => {
    await createVm("edit-class");
    await edit("edit-class", settings({ className: "best-effort-xsmall" }));
    const waiting = await waitFor(async () => {
      const status = (await vmStatus(harness.pool, "edit-class"))?.status as VirtualMachineStatus;
      return status.conditions?.find((condition) => condition.reason === "PowerOffRequired");
    }, "the class to wait for a power-off");
    expect(waiting.message).toBe("Class best-effort-xsmall applies the next time the VM is powered off.");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "edit-class", powerState: "PoweredOff", powerOffMode: "Hard" });
    const { status } = await settled("edit-class", "PoweredOff");
    expect(status.hardware).toMatchObject({ cpus: 2, memoryMiB: 2048 });
  });

  it("refuses a form opened before someone else's change with a conflict, but not one opened before a status report", async () => {
    const { vm } = await createVm("edit-stale");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "edit-stale", powerState: "PoweredOff" });
    await expect(edit("edit-stale", settings({ diskGiB: 40 }), vm.generation)).rejects.toThrow(ConflictError);

    const opened = await settled("edit-stale", "PoweredOff");
    await harness.pool.query(`UPDATE resources SET status = status || '{"note": "reported"}', resource_version = nextval('resource_version_seq') WHERE uid = (SELECT uid FROM resources WHERE kind = 'VirtualMachine' AND name = 'edit-stale')`);
    expect((await vmStatus(harness.pool, "edit-stale"))!.resource_version).not.toBe(opened.vm.resource_version);
    await edit("edit-stale", settings({ diskGiB: 40 }), opened.vm.generation);
  });
});

describe("Rename", () => {
  it("re-keys the VM keeping its uid; the provider follows, and nothing is created twice", async () => {
    await createVm("old-name");
    const { rows } = await harness.pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND name = 'old-name'`);
    const { object } = await renameVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "old-name", newName: "new-name" });
    expect(object).toMatchObject({ uid: rows[0]!.uid, name: "new-name" });
    await waitFor(async () => (await harness.provider.findVm(`${NAMESPACE}/new-name`)) ?? null, "the provider's VM under the new name");
    const { status } = await settled("new-name", "PoweredOn");
    expect(await harness.provider.findVm(`${NAMESPACE}/old-name`)).toBeNull();
    expect((await harness.provider.listVms()).filter((candidate) => candidate.id === status.uniqueID)).toHaveLength(1);
    const annotations = await harness.pool.query(`SELECT annotations FROM resources WHERE uid = $1`, [rows[0]!.uid]);
    expect(annotations.rows[0].annotations).not.toHaveProperty("skylight.io/renamed-from");
    const tasks = await harness.pool.query(`SELECT description, state FROM tasks WHERE target_uid = $1 AND operation = 'VirtualMachine.rename'`, [rows[0]!.uid]);
    expect(tasks.rows).toEqual([{ description: "Rename virtual machine old-name to new-name", state: "success" }]);
  });

  it("validates the name: RFC 1123 and unique in the namespace", async () => {
    await createVm("rename-a");
    await createVm("rename-b");
    await expect(renameVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "rename-a", newName: "Rename_A" })).rejects.toMatchObject({
      field: "newName",
      message: "The new name must be lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123).",
    });
    await expect(renameVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "rename-a", newName: "rename-b" })).rejects.toMatchObject({
      field: "newName",
      message: `A VM named "rename-b" already exists in namespace ${NAMESPACE}.`,
    });
    expect(await vmStatus(harness.pool, "rename-a")).not.toBeNull();
  });
});

describe("Delete from Disk of a suspended VM (as the list's bulk delete may ask)", () => {
  it("powers it off, deletes it, and the object goes once the finalizer has run", async () => {
    await createVm("suspended-1");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "suspended-1", powerState: "Suspended" });
    await settled("suspended-1", "Suspended");
    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "suspended-1" });
    await waitFor(async () => (await vmStatus(harness.pool, "suspended-1")) === null, "the suspended VM to be deleted");
    expect(await harness.provider.findVm(`${NAMESPACE}/suspended-1`)).toBeNull();
  });
});

describe("Migrate › change storage", () => {
  it("moves the disks to another datastore of the cluster, live, and refuses one that cannot take them", async () => {
    await createVm("relocate-1");
    const migrate = (datastore: string) => migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "relocate-1", datastore });
    await expect(migrate(DATASTORE)).rejects.toMatchObject({ field: "datastore", message: `Datastore ${DATASTORE} cannot take the VM's disks: it is the VM's current datastore.` });
    await expect(migrate("elsewhere")).rejects.toMatchObject({ message: `Datastore elsewhere cannot take the VM's disks: it is not mounted by the hosts of cluster ${CLUSTER}.` });
    await expect(migrate("tiny-nfs")).rejects.toMatchObject({ message: "Datastore tiny-nfs cannot take the VM's disks: it has not enough free space (needs 20 GiB, 5 GiB free)." });
    const { taskId } = await migrate("test-nfs");
    await settled("relocate-1", "PoweredOn");
    expect(await harness.provider.findVm(`${NAMESPACE}/relocate-1`)).toMatchObject({ datastore: "test-nfs", powerState: "PoweredOn" });
    const task = await waitFor(async () => (await harness.pool.query(`SELECT state FROM tasks WHERE id = $1 AND state = 'success'`, [taskId])).rows[0], "the migrate task to succeed");
    expect(task).toEqual({ state: "success" });
  });
});
