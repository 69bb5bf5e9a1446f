import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { getObject, insertObject } from "@/lib/engine/object-store";
import { updateNamespace } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine, migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { cloneVirtualMachine } from "@/lib/engine/operations/vm-clone";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import { updateVirtualMachine } from "@/lib/engine/operations/vm-update";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import type { VmSettingsInput } from "@/lib/engine/vm-settings-rules";
import { ConflictError, ForbiddenError, QuotaExceededError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, convergedVm, createHarness, DATASTORE, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";
import { IMAGE_KIND_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

const ADMIN: OperationActor = { id: "test-admin", username: "admin", role: "administrator" };
const VIEWER: OperationActor = { id: "test-viewer", username: "vera", role: "developer" };
const EDITOR: OperationActor = { id: "test-editor", username: "eddie", role: "developer" };

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  for (const [name, kind] of [["debian-netinst", "iso"], ["tools-iso", "iso"], ["restricted-iso", "iso"], ["raw-disk", "disk"]] as const) {
    await insertObject(harness.pool, {
      apiVersion: KIND_API_VERSIONS.VirtualMachineImage,
      kind: "VirtualMachineImage",
      namespace: "",
      name,
      annotations: { [IMAGE_KIND_ANNOTATION]: kind },
      spec: {},
      status: { disks: kind === "disk" ? [{ capacity: "10Gi" }] : [] },
    });
  }
  // A second datastore of the cluster, with room for the boot disk but not for an added 100 GiB disk too.
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "test-nfs", labels: { "skylight.io/cluster": CLUSTER }, spec: { datacenter: "dc-test", type: "nfs" }, status: { freeGiB: 500 } });
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "small-nfs", labels: { "skylight.io/cluster": CLUSTER }, spec: { datacenter: "dc-test", type: "nfs" }, status: { freeGiB: 60 } });
  await harness.pool.query(`UPDATE sim_hosts SET datastores = datastores || '{test-nfs,small-nfs}'`);
  await harness.provider.addDatastore({ name: "test-nfs", capacityGiB: 1000, otherUsedGiB: 0 });
  const permissions = [
    { kind: "User", name: VIEWER.username, role: "view" },
    { kind: "User", name: EDITOR.username, role: "edit" },
  ];
  await harness.pool.query(`UPDATE resources SET spec = jsonb_set(spec, '{permissions}', $1::jsonb) WHERE kind = 'Namespace' AND name = $2`, [JSON.stringify(permissions), NAMESPACE]);
  harness.startEngine();
});
afterAll(() => harness.stop());

const settled = (name: string) => convergedVm(harness.pool, name, "PoweredOn");

/** The form's values for a fresh VM: class-sized, the image's 20 GiB boot disk, no adapters. */
const settings = (overrides: Partial<VmSettingsInput> = {}): VmSettingsInput => ({ className: "best-effort-small", hardware: null, diskGiB: 20, adapters: [], ...overrides });

async function edit(name: string, values: Partial<VmSettingsInput>, actor = OPERATOR) {
  const { generation } = (await vmStatus(harness.pool, name))!;
  return editVirtualMachineSettings(actor, { namespace: NAMESPACE, name, settings: settings(values), expectedGeneration: generation }, harness.pool);
}

async function datastoreUsedGiB(): Promise<number> {
  return (await harness.provider.findDatastore(DATASTORE))!.usedGiB;
}

const statusOf = async (name: string) => (await vmStatus(harness.pool, name))!.status as VirtualMachineStatus;

describe("Edit Settings › Add New Device", () => {
  it("adds a 20 GiB hard disk and a CD/DVD drive with a library ISO to a running VM: spec in vm-operator's shape, attached by the simulator, counted and listed on the datastore", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-1", spec: vmSpec() });
    await settled("dev-1");
    const usedBefore = await datastoreUsedGiB();

    const { object } = await edit("dev-1", { disks: [{ name: "", sizeGiB: 20 }], cdroms: [{ name: "", image: "debian-netinst", connected: true }] });
    expect(object.spec.volumes).toEqual([{ name: "disk-1", persistentVolumeClaim: { claimName: "dev-1-disk-1", instanceVolumeClaim: { storageClass: DATASTORE, size: "20Gi" } } }]);
    expect(object.spec.cdrom).toEqual([{ name: "cdrom1", image: { kind: "VirtualMachineImage", name: "debian-netinst" }, connected: true }]);

    await waitFor(async () => (await statusOf("dev-1")).cdrom?.[0]?.connected === true, "the CD/DVD drive to be connected");
    const status = await statusOf("dev-1");
    expect(status.volumes).toEqual([{ name: "disk-1", type: "Managed", attached: true, limit: "20Gi" }]);
    expect(status.cdrom).toEqual([{ name: "cdrom1", image: "debian-netinst", connected: true }]);
    expect(await datastoreUsedGiB()).toBe(usedBefore + 20);
    const folder = (await harness.provider.browseDatastore(DATASTORE))!.find((entry) => entry.vmOwnerKey === `${NAMESPACE}/dev-1`)!;
    expect(folder.files.filter((file) => file.type === "Virtual disk").map((file) => [file.name, file.sizeBytes / 1024 ** 3])).toEqual([
      ["dev-1.vmdk", 20],
      ["dev-1_1.vmdk", 20],
    ]);

    // Disconnect the drive and grow the disk; then remove the disk: the datastore gives its space back.
    await edit("dev-1", { disks: [{ name: "disk-1", sizeGiB: 30 }], cdroms: [{ name: "cdrom1", image: "debian-netinst", connected: false }] });
    await waitFor(async () => (await statusOf("dev-1")).cdrom?.[0]?.connected === false, "the CD/DVD drive to be disconnected");
    expect((await statusOf("dev-1")).volumes).toEqual([{ name: "disk-1", type: "Managed", attached: true, limit: "30Gi" }]);
    await edit("dev-1", { disks: [], cdroms: [] });
    await waitFor(async () => (await statusOf("dev-1")).volumes === undefined && (await statusOf("dev-1")).cdrom === undefined, "the disk and drive to be removed");
    expect(await datastoreUsedGiB()).toBe(usedBefore);
  });

  it("refuses hostile devices with the field and the rule, and writes nothing", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-2", spec: vmSpec() });
    await settled("dev-2");
    await edit("dev-2", { disks: [{ name: "", sizeGiB: 40 }] });
    await settled("dev-2");
    const before = (await vmStatus(harness.pool, "dev-2"))!;

    const refusals: [Partial<VmSettingsInput>, string, string][] = [
      [{ disks: [{ name: "disk-1", sizeGiB: 10 }] }, "disks", "Hard disk 2 can only grow: it is 40 GiB and cannot shrink to 10 GiB."],
      [{ disks: [{ name: "", sizeGiB: 16 * 1024 + 1 }] }, "disks", "Hard disk 2 must be at most 16384 GiB (16 TiB)."],
      [{ disks: Array.from({ length: 16 }, () => ({ name: "", sizeGiB: 1 })) }, "disks", "Hard disks can be at most 15 besides Hard disk 1."],
      [{ cdroms: [{ name: "", image: "no-such-iso", connected: true }] }, "cdroms", 'Image "no-such-iso" is not in the content library.'],
      [{ cdroms: [{ name: "", image: "raw-disk", connected: true }] }, "cdroms", "Image raw-disk is not an ISO image: a CD/DVD drive is backed by an ISO image from the content library."],
      [{ cdroms: [{ name: "", image: "tools-iso", connected: true }, { name: "", image: "tools-iso", connected: true }] }, "cdroms", 'Duplicate value: "tools-iso": each drive has its own image'],
      [{ cdroms: Array.from({ length: 5 }, (_, index) => ({ name: "", image: `iso-${index}`, connected: true })) }, "cdroms", "CD/DVD drives can be at most 4."],
    ];
    for (const [values, field, message] of refusals) {
      await expect(edit("dev-2", { disks: [{ name: "disk-1", sizeGiB: 40 }], ...values })).rejects.toMatchObject({ field, message });
    }
    expect((await vmStatus(harness.pool, "dev-2"))!.resource_version).toBe(before.resource_version);
  });

  it("offers a namespace only the ISO images it allows, and counts added disks in its storage limit", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-3", spec: vmSpec() });
    await settled("dev-3");
    await updateNamespace(ADMIN, { name: NAMESPACE, images: ["ubuntu-24.04-server", "debian-netinst"], limits: { storageGiB: 200 } }, harness.pool);
    try {
      await expect(edit("dev-3", { cdroms: [{ name: "", image: "restricted-iso", connected: true }] })).rejects.toMatchObject({
        field: "cdroms",
        message: "Image restricted-iso is not allowed in namespace apps; it allows ubuntu-24.04-server, debian-netinst.",
      });
      const refusal = await edit("dev-3", { disks: [{ name: "", sizeGiB: 150 }] }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(QuotaExceededError);
      expect(refusal).toMatchObject({ field: "disks", message: expect.stringMatching(/^Storage limit of apps is 200 GiB; \d+ GiB is in use and the VM asks for 170 GiB\.$/) });
      await edit("dev-3", { disks: [{ name: "", sizeGiB: 5 }], cdroms: [{ name: "", image: "debian-netinst", connected: true }] });
    } finally {
      await updateNamespace(ADMIN, { name: NAMESPACE, limits: {} }, harness.pool);
    }
  });

  it("kubectl's writes meet the same schema and rules, refused naming the field (422)", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-4", spec: vmSpec() });
    await settled("dev-4");
    const vm = (await getObject<VirtualMachineSpec, unknown>(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name: "dev-4" }))!;
    const replace = (spec: Record<string, unknown>) =>
      updateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-4", labels: vm.labels, annotations: vm.annotations, spec: { ...vm.spec, ...spec } }, harness.pool);
    const disk = (name: string, size: string, storageClass = DATASTORE) => ({ name, persistentVolumeClaim: { claimName: `dev-4-${name}`, instanceVolumeClaim: { storageClass, size } } });

    await expect(replace({ volumes: [disk("data", "20TB")] })).rejects.toMatchObject({ field: "spec.volumes[0].persistentVolumeClaim.instanceVolumeClaim.size", status: 422 });
    await expect(replace({ volumes: [disk("data", "20Gi", "elsewhere")] })).rejects.toMatchObject({ field: "spec.volumes[0].persistentVolumeClaim.instanceVolumeClaim.storageClass" });
    await expect(replace({ volumes: [disk("data", "20Gi"), disk("data", "30Gi")] })).rejects.toMatchObject({ field: "spec.volumes[1].name", message: 'Duplicate value: "data"' });
    await expect(replace({ cdrom: [{ name: "cd", image: { kind: "VirtualMachineImage", name: "raw-disk" } }] })).rejects.toMatchObject({ field: "spec.cdrom[0].image.name" });

    await replace({ volumes: [disk("data", "20Gi")], cdrom: [{ name: "cd", image: { kind: "ClusterVirtualMachineImage", name: "tools-iso" } }] });
    await waitFor(async () => (await statusOf("dev-4")).cdrom?.[0]?.image === "tools-iso", "kubectl's drive to be attached");
    expect((await statusOf("dev-4")).volumes).toEqual([{ name: "data", type: "Managed", attached: true, limit: "20Gi" }]);
    const current = (await getObject<VirtualMachineSpec, unknown>(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name: "dev-4" }))!;
    await expect(
      updateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-4", labels: current.labels, annotations: current.annotations, spec: { ...current.spec, volumes: [disk("data", "10Gi")] } }, harness.pool),
    ).rejects.toMatchObject({ field: "spec.volumes[0].persistentVolumeClaim.instanceVolumeClaim.size", message: "Hard disk 2 can only grow: it is 20 GiB and cannot shrink to 10 GiB." });
  });

  it("a stale form is refused as changed by someone else; a developer needs edit on the namespace", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-5", spec: vmSpec() });
    await settled("dev-5");
    const { generation } = (await vmStatus(harness.pool, "dev-5"))!;
    await edit("dev-5", { disks: [{ name: "", sizeGiB: 8 }] });
    await expect(
      editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name: "dev-5", settings: settings({ disks: [{ name: "", sizeGiB: 9 }] }), expectedGeneration: generation }, harness.pool),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(edit("dev-5", { disks: [{ name: "disk-1", sizeGiB: 8 }, { name: "", sizeGiB: 2 }] }, VIEWER)).rejects.toBeInstanceOf(ForbiddenError);
    const { object } = await edit("dev-5", { disks: [{ name: "disk-1", sizeGiB: 8 }, { name: "", sizeGiB: 2 }] }, EDITOR);
    expect(object.spec.volumes?.map((volume) => volume.name)).toEqual(["disk-1", "disk-2"]);
  });

  it("Storage vMotion moves the added disks with the boot disk, and refuses a datastore without room for all of them", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-6", spec: vmSpec() });
    await settled("dev-6");
    await edit("dev-6", { disks: [{ name: "", sizeGiB: 100 }] });
    await settled("dev-6");
    await expect(migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-6", datastore: "small-nfs" }, harness.pool)).rejects.toMatchObject({
      field: "datastore",
      message: "Datastore small-nfs cannot take the VM's disks: it has not enough free space (needs 120 GiB, 60 GiB free).",
    });
    const { object } = await migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-6", datastore: "test-nfs" }, harness.pool);
    expect(object.spec.volumes?.[0]?.persistentVolumeClaim?.instanceVolumeClaim?.storageClass).toBe("test-nfs");
    await waitFor(async () => (await harness.provider.findDatastore("test-nfs"))?.usedGiB === 120, "the boot and added disks to take 120 GiB of test-nfs");
    // The spec as moved is one kubectl can write back unchanged.
    const moved = (await getObject<VirtualMachineSpec, unknown>(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name: "dev-6" }))!;
    await updateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-6", labels: moved.labels, annotations: moved.annotations, spec: moved.spec }, harness.pool);
  });

  it("a clone to another datastore gets the source's added disks there", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-7", spec: vmSpec() });
    await settled("dev-7");
    await edit("dev-7", { disks: [{ name: "", sizeGiB: 12 }] });
    await settled("dev-7");
    const { object } = await cloneVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "dev-7", target: { namespace: NAMESPACE, name: "dev-7-copy", host: "", storageClass: "test-nfs", powerOn: true } }, harness.pool);
    expect(object.spec.volumes?.[0]?.persistentVolumeClaim?.instanceVolumeClaim).toEqual({ storageClass: "test-nfs", size: "12Gi" });
    await waitFor(async () => (await statusOf("dev-7-copy")).volumes?.[0]?.attached === true, "the clone's added disk to be attached");
  });
});
