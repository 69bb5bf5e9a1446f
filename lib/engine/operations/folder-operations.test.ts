// Folders through the engine on real PostgreSQL: New Folder, Rename, Move To and Delete with
// their refusals (names, cycles, other datacenters, folders that are not empty, stale forms),
// moving VMs in and out, one at a time and in bulk; host folders holding clusters, never VMs (nor
// VM folders clusters); and who may do any of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { createFolder, deleteFolder, moveClusterToFolder, moveFolder, moveVirtualMachinesToFolder, renameFolder } from "@/lib/engine/operations/folder-operations";
import { setFolderPermissions } from "@/lib/engine/operations/folder-permission-operations";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, createHarness, NAMESPACE, OPERATOR, type Harness } from "@/lib/testing/engine-harness";
import { CLUSTER_LABEL, FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

const DEVELOPER = { id: "test-developer", username: "dev", role: "developer" as const };
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ hosts: 1 });
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Datacenter, kind: "Datacenter", namespace: "", name: "dc-other", spec: {} });
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Cluster, kind: "Cluster", namespace: "", name: "other-cluster", spec: { datacenter: "dc-other" } });
  for (const [name, cluster] of [["web-1", CLUSTER], ["web-2", CLUSTER], ["db-1", CLUSTER], ["far-1", "other-cluster"]] as const) {
    await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.VirtualMachine, kind: "VirtualMachine", namespace: NAMESPACE, name, labels: { [CLUSTER_LABEL]: cluster }, spec: {} });
  }
}, 60_000);
afterAll(() => harness.stop());

const folder = async (name: string) =>
  (await harness.pool.query<{ uid: string; spec: { datacenter: string; parent: string | null }; resource_version: string }>(
    `SELECT uid::text, spec, resource_version::text FROM resources WHERE kind = 'Folder' AND name = $1`,
    [name],
  )).rows[0];
const folderOfVm = async (name: string) =>
  (await harness.pool.query<{ folder: string | null }>(`SELECT labels->>'${FOLDER_LABEL}' AS folder FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name])).rows[0]!.folder;
const folderOfCluster = async (name: string) =>
  (await harness.pool.query<{ folder: string | null; resource_version: string }>(`SELECT labels->>'${FOLDER_LABEL}' AS folder, resource_version::text FROM resources WHERE kind = 'Cluster' AND name = $1`, [name])).rows[0]!;
const task = async (id: string) => (await harness.pool.query<{ state: string; operation: string }>(`SELECT state, operation FROM tasks WHERE id = $1`, [id])).rows[0];
const auditEvents = async (taskId: string) => (await harness.pool.query(`SELECT reason, actor FROM events WHERE task_id = $1`, [taskId])).rows;

describe("VM folders", () => {
  it("creates nested folders under a datacenter, each with a finished task and an audit event", async () => {
    const { taskId } = await createFolder(OPERATOR, { datacenter: "dc-test", name: "Production" }, harness.pool);
    await createFolder(OPERATOR, { datacenter: "dc-test", parent: "Production", name: "Web" }, harness.pool);
    await createFolder(OPERATOR, { datacenter: "dc-test", parent: "Web", name: "Frontends" }, harness.pool);
    expect(await folder("Production")).toMatchObject({ spec: { datacenter: "dc-test", parent: null } });
    expect((await folder("Web"))!.spec.parent).toBe((await folder("Production"))!.uid);
    expect(await task(taskId)).toEqual({ state: "success", operation: "Folder.create" });
    expect(await auditEvents(taskId)).toEqual([{ reason: "Folder.create", actor: "olivia" }]);
  });

  it("refuses a bad name, a taken name, a parent in another datacenter, and a developer; nothing is created", async () => {
    const count = async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'Folder'`)).rowCount;
    const before = await count();
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "a/b" }, harness.pool)).rejects.toMatchObject({ field: "name", message: "Folder name must not contain / \\ or %." });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "50%" }, harness.pool)).rejects.toMatchObject({ field: "name" });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "x".repeat(81) }, harness.pool)).rejects.toMatchObject({ field: "name", message: "Folder name must be at most 80 characters." });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "  " }, harness.pool)).rejects.toMatchObject({ field: "name", message: "Folder name is required." });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", parent: "Production", name: "Web" }, harness.pool)).rejects.toMatchObject({
      field: "name",
      message: expect.stringContaining('A folder named "Web" already exists'),
    });
    await expect(createFolder(OPERATOR, { datacenter: "dc-other", parent: "Production", name: "Strays" }, harness.pool)).rejects.toMatchObject({ field: "parent" });
    await expect(createFolder(OPERATOR, { datacenter: "dc-nowhere", name: "Strays" }, harness.pool)).rejects.toMatchObject({ field: "datacenter" });
    await expect(createFolder(DEVELOPER, { datacenter: "dc-test", name: "Mine" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await count()).toBe(before);
  });

  it("renames a folder, keeping what it holds; a stale form is refused with nothing changed", async () => {
    const web = (await folder("Web"))!;
    await renameFolder(OPERATOR, { name: "Web", newName: "Web tier", expectedResourceVersion: web.resource_version }, harness.pool);
    const renamed = (await folder("Web tier"))!;
    expect(renamed.uid).toBe(web.uid);
    expect((await folder("Frontends"))!.spec.parent).toBe(web.uid);
    await expect(renameFolder(OPERATOR, { name: "Web tier", newName: "Web", expectedResourceVersion: web.resource_version }, harness.pool)).rejects.toBeInstanceOf(ConflictError);
    await expect(renameFolder(OPERATOR, { name: "Web tier", newName: "Production" }, harness.pool)).rejects.toMatchObject({ field: "newName" });
    await expect(renameFolder(DEVELOPER, { name: "Web tier", newName: "Dev" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await folder("Web tier")).toEqual(renamed);
  });

  it("moves a folder to another folder or its datacenter, never into itself, below itself or to another datacenter", async () => {
    await createFolder(OPERATOR, { datacenter: "dc-test", name: "Staging" }, harness.pool);
    await createFolder(OPERATOR, { datacenter: "dc-other", name: "Remote" }, harness.pool);
    const before = (await folder("Production"))!;
    await expect(moveFolder(OPERATOR, { name: "Production", destination: "Production" }, harness.pool)).rejects.toMatchObject({ field: "destination", message: 'Folder "Production" cannot be moved into itself.' });
    await expect(moveFolder(OPERATOR, { name: "Production", destination: "Frontends" }, harness.pool)).rejects.toMatchObject({
      field: "destination",
      message: 'Folder "Frontends" is inside "Production": a folder cannot be moved into its own subfolder.',
    });
    await expect(moveFolder(OPERATOR, { name: "Production", destination: "Remote" }, harness.pool)).rejects.toMatchObject({ field: "destination", message: expect.stringContaining("only within its own datacenter") });
    await expect(moveFolder(DEVELOPER, { name: "Production", destination: "Staging" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await folder("Production")).toEqual(before);

    await moveFolder(OPERATOR, { name: "Web tier", destination: "Staging", expectedResourceVersion: (await folder("Web tier"))!.resource_version }, harness.pool);
    expect((await folder("Web tier"))!.spec.parent).toBe((await folder("Staging"))!.uid);
    await moveFolder(OPERATOR, { name: "Web tier", destination: null }, harness.pool);
    expect((await folder("Web tier"))!.spec.parent).toBeNull();
    await expect(moveFolder(OPERATOR, { name: "Web tier", destination: "Staging", expectedResourceVersion: "1" }, harness.pool)).rejects.toBeInstanceOf(ConflictError);
  });

  it("moves one VM into a folder and out again, with a task each", async () => {
    const [moved] = await moveVirtualMachinesToFolder(OPERATOR, { vms: [{ namespace: NAMESPACE, name: "db-1" }], folder: "Production" }, harness.pool);
    expect(await folderOfVm("db-1")).toBe((await folder("Production"))!.uid);
    expect(await task(moved!.taskId)).toEqual({ state: "success", operation: "VirtualMachine.moveToFolder" });
    await moveVirtualMachinesToFolder(OPERATOR, { vms: [{ namespace: NAMESPACE, name: "db-1" }], folder: null }, harness.pool);
    expect(await folderOfVm("db-1")).toBeNull();
  });

  it("moves several VMs in one call, and moves none when one of them is in another datacenter or the caller is a developer", async () => {
    const vms = [{ namespace: NAMESPACE, name: "web-1" }, { namespace: NAMESPACE, name: "web-2" }];
    await expect(moveVirtualMachinesToFolder(OPERATOR, { vms: [...vms, { namespace: NAMESPACE, name: "far-1" }], folder: "Frontends" }, harness.pool)).rejects.toMatchObject({
      field: "folder",
      message: 'VM far-1 runs in datacenter dc-other; folder "Frontends" is in dc-test.',
    });
    await expect(moveVirtualMachinesToFolder(DEVELOPER, { vms, folder: "Frontends" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect([await folderOfVm("web-1"), await folderOfVm("web-2")]).toEqual([null, null]);

    const results = await moveVirtualMachinesToFolder(OPERATOR, { vms, folder: "Frontends" }, harness.pool);
    expect(results).toHaveLength(2);
    const frontends = (await folder("Frontends"))!.uid;
    expect([await folderOfVm("web-1"), await folderOfVm("web-2")]).toEqual([frontends, frontends]);
    await expect(moveVirtualMachinesToFolder(OPERATOR, { vms: Array.from({ length: 501 }, (_, i) => ({ namespace: NAMESPACE, name: `vm-${i}` })), folder: "Frontends" }, harness.pool)).rejects.toMatchObject({ field: "vms" });
  });

  it("deletes a folder only when empty, naming what it holds", async () => {
    await expect(deleteFolder(OPERATOR, { name: "Frontends" }, harness.pool)).rejects.toMatchObject({
      field: "name",
      message: 'Folder "Frontends" is not empty: it holds 2 VMs ("web-1", "web-2"). Move or delete them first.',
    });
    await expect(deleteFolder(OPERATOR, { name: "Staging" }, harness.pool)).resolves.toBeDefined();
    await moveFolder(OPERATOR, { name: "Web tier", destination: "Production" }, harness.pool);
    await expect(deleteFolder(OPERATOR, { name: "Production" }, harness.pool)).rejects.toMatchObject({ message: expect.stringContaining('1 folder ("Web tier")') });
    await expect(deleteFolder(DEVELOPER, { name: "Remote" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteFolder(OPERATOR, { name: "Remote", expectedResourceVersion: "1" }, harness.pool)).rejects.toBeInstanceOf(ConflictError);
    const { taskId } = await deleteFolder(OPERATOR, { name: "Remote" }, harness.pool);
    expect(await folder("Remote")).toBeUndefined();
    expect(await task(taskId)).toEqual({ state: "success", operation: "Folder.delete" });
    expect(await folder("Frontends")).toBeDefined();
  });
});

describe("host folders", () => {
  it("are created, nested and moved among host folders only; a VM folder is no place for them", async () => {
    const { taskId } = await createFolder(OPERATOR, { datacenter: "dc-test", name: "Racks", type: "host" }, harness.pool);
    expect(await folder("Racks")).toMatchObject({ spec: { datacenter: "dc-test", type: "host", parent: null } });
    expect(await task(taskId)).toEqual({ state: "success", operation: "Folder.create" });
    expect(await auditEvents(taskId)).toEqual([{ reason: "Folder.create", actor: "olivia" }]);
    await createFolder(OPERATOR, { datacenter: "dc-test", name: "Row A", type: "host", parent: "Racks" }, harness.pool);
    await createFolder(OPERATOR, { datacenter: "dc-test", name: "Lab", type: "host" }, harness.pool);
    await createFolder(OPERATOR, { datacenter: "dc-test", name: "VM things" }, harness.pool);

    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "Stray", type: "host", parent: "VM things" }, harness.pool)).rejects.toMatchObject({
      field: "parent",
      message: 'Folder "VM things" is a VM folder: it holds VMs and VM folders, not host folders.',
    });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "Stray", parent: "Racks" }, harness.pool)).rejects.toMatchObject({
      field: "parent",
      message: 'Folder "Racks" is a host folder: it holds clusters and host folders, not VM folders.',
    });
    await expect(createFolder(OPERATOR, { datacenter: "dc-test", name: "Stray", type: "datastore" as "host" }, harness.pool)).rejects.toMatchObject({ field: "type" });
    await expect(createFolder(DEVELOPER, { datacenter: "dc-test", name: "Stray", type: "host" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await folder("Stray")).toBeUndefined();

    const before = (await folder("Row A"))!;
    await expect(moveFolder(OPERATOR, { name: "Row A", destination: "VM things" }, harness.pool)).rejects.toMatchObject({ field: "destination", message: expect.stringContaining("is a VM folder") });
    await expect(moveFolder(OPERATOR, { name: "VM things", destination: "Racks" }, harness.pool)).rejects.toMatchObject({ field: "destination", message: expect.stringContaining("is a host folder") });
    expect(await folder("Row A")).toEqual(before);
    await moveFolder(OPERATOR, { name: "Row A", destination: "Lab", expectedResourceVersion: before.resource_version }, harness.pool);
    expect((await folder("Row A"))!.spec.parent).toBe((await folder("Lab"))!.uid);

    // Permissions are a VM folder's: who sees a host or cluster is decided by global role.
    const lab = (await folder("Lab"))!;
    await expect(setFolderPermissions(OPERATOR, { name: "Lab", permissions: [{ kind: "User", name: "dev", role: "view" }], expectedResourceVersion: lab.resource_version }, harness.pool)).rejects.toMatchObject({
      field: "permissions",
      message: 'Folder "Lab" is a host folder: permissions are given on VM folders only.',
    });
    expect(await folder("Lab")).toEqual(lab);
  });

  it("take clusters of their own datacenter, with a task and an audit event; VMs and clusters stay each in their own kind of folder", async () => {
    const cluster = await folderOfCluster(CLUSTER);
    await expect(moveClusterToFolder(OPERATOR, { name: CLUSTER, folder: "VM things" }, harness.pool)).rejects.toMatchObject({
      field: "folder",
      message: 'Folder "VM things" is a VM folder: it holds VMs and VM folders, not clusters.',
    });
    await expect(moveVirtualMachinesToFolder(OPERATOR, { vms: [{ namespace: NAMESPACE, name: "db-1" }], folder: "Racks" }, harness.pool)).rejects.toMatchObject({
      field: "folder",
      message: 'Folder "Racks" is a host folder: it holds clusters and host folders, not VMs.',
    });
    await createFolder(OPERATOR, { datacenter: "dc-other", name: "Far racks", type: "host" }, harness.pool);
    await expect(moveClusterToFolder(OPERATOR, { name: CLUSTER, folder: "Far racks" }, harness.pool)).rejects.toMatchObject({
      field: "folder",
      message: 'Cluster test-cluster is in datacenter dc-test; folder "Far racks" is in dc-other.',
    });
    await expect(moveClusterToFolder(DEVELOPER, { name: CLUSTER, folder: "Racks" }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(moveClusterToFolder(OPERATOR, { name: CLUSTER, folder: "Racks", expectedResourceVersion: "1" }, harness.pool)).rejects.toBeInstanceOf(ConflictError);
    expect(await folderOfCluster(CLUSTER)).toEqual(cluster);

    const { taskId } = await moveClusterToFolder(OPERATOR, { name: CLUSTER, folder: "Racks", expectedResourceVersion: cluster.resource_version }, harness.pool);
    expect((await folderOfCluster(CLUSTER)).folder).toBe((await folder("Racks"))!.uid);
    expect(await task(taskId)).toEqual({ state: "success", operation: "Cluster.moveToFolder" });
    expect(await auditEvents(taskId)).toEqual([{ reason: "Cluster.moveToFolder", actor: "olivia" }]);
  });

  it("are deleted only when empty, the refusal naming the clusters and subfolders they hold", async () => {
    await moveFolder(OPERATOR, { name: "Row A", destination: "Racks" }, harness.pool);
    await expect(deleteFolder(OPERATOR, { name: "Racks" }, harness.pool)).rejects.toMatchObject({
      field: "name",
      message: 'Folder "Racks" is not empty: it holds 1 folder ("Row A") and 1 cluster ("test-cluster"). Move or delete them first.',
    });
    await moveClusterToFolder(OPERATOR, { name: CLUSTER, folder: null }, harness.pool);
    expect((await folderOfCluster(CLUSTER)).folder).toBeNull();
    await deleteFolder(OPERATOR, { name: "Row A" }, harness.pool);
    const { taskId } = await deleteFolder(OPERATOR, { name: "Racks" }, harness.pool);
    expect(await folder("Racks")).toBeUndefined();
    expect(await task(taskId)).toEqual({ state: "success", operation: "Folder.delete" });
  });
});
