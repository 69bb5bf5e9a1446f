import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { cloneToTemplate, cloneVirtualMachine, type CloneTarget } from "@/lib/engine/operations/vm-clone";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import { deleteTemplate } from "@/lib/engine/operations/template-operations";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { CLUSTER, convergedVm, createHarness, DATASTORE, isReady, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name: "net-a", spec: { datacenter: "dc-test", portGroup: "VM Network" } });
  // Another cluster's datastore, which this cluster's hosts do not mount.
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "elsewhere", labels: { "skylight.io/cluster": "other-cluster" }, spec: { datacenter: "dc-test" } });
  harness.startEngine();
});
afterAll(() => harness.stop());

const settled = async (name: string, powerState: string) => (await convergedVm(harness.pool, name, powerState)).status;

const target = (overrides: Partial<CloneTarget> = {}): CloneTarget => ({ name: "clone-1", namespace: NAMESPACE, host: "", storageClass: DATASTORE, powerOn: true, ...overrides });

describe("Clone to Virtual Machine", () => {
  it("makes a new VM from the source's disk, with its size and adapters; the source is untouched", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "source-1", labels: { app: "web" }, spec: vmSpec({ network: { interfaces: [{ name: "eth0", network: { kind: "Network", name: "net-a" } }] } }) });
    await settled("source-1", "PoweredOn");
    // A label only the engine writes (as it writes a template's skylight.io/namespace) is the source's own, not the clone's.
    await harness.pool.query(`UPDATE resources SET labels = labels || '{"skylight.io/namespace": "${NAMESPACE}"}' WHERE kind = 'VirtualMachine' AND name = 'source-1'`);
    await editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name: "source-1", settings: { className: "best-effort-small", hardware: { cpus: 3, memoryMiB: 5120 }, diskGiB: 45, adapters: [{ name: "eth0", network: "net-a" }, { name: "", network: "net-a" }] } });
    const source = await settled("source-1", "PoweredOn");
    expect(source.hardware).toMatchObject({ cpus: 3, diskGiB: 45 });

    const { taskId } = await cloneVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "source-1", target: target({ powerOn: false, host: "esx-2.test" }) });
    const clone = await settled("clone-1", "PoweredOff");
    expect(clone.hardware).toEqual({ cpus: 3, memoryMiB: 5120, diskGiB: 45, networks: ["net-a", "net-a"] });
    await waitFor(async () => (await vmStatus(harness.pool, "clone-1"))?.status.host === "esx-2.test", "the clone on the host asked for");
    const simulated = await harness.provider.findVm(`${NAMESPACE}/clone-1`);
    expect(simulated?.id).not.toBe(source.uniqueID);
    const task = await harness.pool.query(`SELECT description, state FROM tasks WHERE id = $1`, [taskId]);
    expect(task.rows).toEqual([{ description: `Clone virtual machine source-1 to ${NAMESPACE}/clone-1`, state: "success" }]);
    expect((await harness.provider.findVm(`${NAMESPACE}/source-1`))?.powerState).toBe("PoweredOn");
    const { rows } = await harness.pool.query(`SELECT labels, annotations FROM resources WHERE kind = 'VirtualMachine' AND name = 'clone-1'`);
    expect(rows[0].labels).toEqual({ app: "web", "skylight.io/cluster": CLUSTER });
  });

  it("refuses a bad or taken name and a datastore or host outside the namespace's cluster", async () => {
    const clone = (overrides: Partial<CloneTarget>) => cloneVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "source-1", target: target(overrides) });
    await expect(clone({ name: "Bad Name" })).rejects.toMatchObject({ field: "name", message: expect.stringContaining("The clone's name must be lowercase") });
    await expect(clone({ name: "source-1" })).rejects.toMatchObject({ field: "name", message: `A VM named "source-1" already exists in namespace ${NAMESPACE}.` });
    await expect(clone({ name: "clone-2", storageClass: "nowhere" })).rejects.toMatchObject({ field: "spec.storageClass", message: 'Storage class "nowhere" does not exist.' });
    await expect(clone({ name: "clone-2", storageClass: "elsewhere" })).rejects.toMatchObject({ field: "spec.storageClass", message: `Datastore "elsewhere" is not mounted by the hosts of cluster ${CLUSTER}.` });
    await expect(clone({ name: "clone-2", host: "esx-9.test" })).rejects.toMatchObject({ field: "host", message: `Host "esx-9.test" is not in cluster ${CLUSTER}.` });
    expect(await vmStatus(harness.pool, "clone-2")).toBeNull();
  });
});

describe("Clone to Template", () => {
  it("publishes the source's disk to the content library; New Virtual Machine deploys the template", async () => {
    const { object, taskId } = await cloneToTemplate(OPERATOR, { namespace: NAMESPACE, name: "source-1", templateName: "source-1-template" });
    const ready = await waitFor(async () => {
      const { rows } = await harness.pool.query<{ status: { disks?: { capacity: string }[]; conditions?: { type: string; status: string }[] } }>(`SELECT status FROM resources WHERE uid = $1`, [object.uid]);
      return isReady(rows[0]!.status) && rows[0]!.status;
    }, "the template to be Ready");
    expect(ready.disks).toEqual([{ capacity: "45Gi" }]);
    expect((await harness.pool.query(`SELECT state FROM tasks WHERE id = $1`, [taskId])).rows).toEqual([{ state: "success" }]);

    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "from-template", spec: vmSpec({ imageName: "source-1-template" }) });
    expect((await settled("from-template", "PoweredOn")).hardware).toMatchObject({ diskGiB: 45 });

    await expect(cloneToTemplate(OPERATOR, { namespace: NAMESPACE, name: "source-1", templateName: "source-1-template" })).rejects.toMatchObject({
      field: "templateName",
      message: 'The content library already has an image or template named "source-1-template".',
    });
  });

  it("Delete from Disk removes the template and its disk from the content library; VMs deployed from it stay", async () => {
    const { rows } = await harness.pool.query<{ uid: string; resourceVersion: string }>(
      `SELECT uid::text, resource_version::text AS "resourceVersion" FROM resources WHERE kind = 'VirtualMachineImage' AND name = 'source-1-template'`,
    );
    const template = rows[0]!;
    expect(await harness.provider.findTemplate(template.uid)).not.toBeNull();
    await expect(deleteTemplate(OPERATOR, { name: "source-1-template", expectedResourceVersion: "1" })).rejects.toBeInstanceOf(ConflictError);

    const { taskId } = await deleteTemplate(OPERATOR, { name: "source-1-template", expectedResourceVersion: template.resourceVersion });
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE uid = $1`, [template.uid])).rowCount === 0, "the template to be gone");
    expect(await harness.provider.findTemplate(template.uid)).toBeNull();
    expect((await harness.pool.query(`SELECT state FROM tasks WHERE id = $1`, [taskId])).rows).toEqual([{ state: "success" }]);
    expect((await vmStatus(harness.pool, "from-template"))?.status.powerState).toBe("PoweredOn");
  });

  it("refuses to delete the content library's own images and developers' requests", async () => {
    const image = (await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'VirtualMachineImage' LIMIT 1`)).rows[0]!.name;
    await expect(deleteTemplate(OPERATOR, { name: image })).rejects.toMatchObject({ field: "name", message: expect.stringContaining("only templates made with Clone to Template can be deleted") });
    await expect(deleteTemplate({ id: "dev", username: "dev", role: "developer" }, { name: image })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await harness.pool.query(`SELECT deletion_timestamp FROM resources WHERE kind = 'VirtualMachineImage' AND name = $1`, [image])).rows).toEqual([{ deletion_timestamp: null }]);
  });
});
