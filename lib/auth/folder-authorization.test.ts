// Folder permissions against a real database, on the demo inventory: dc-boston › Production › Web ›
// Deep holds web-team's db-03, dc-boston › Other holds data-team's db-03. A grant on Production
// must reach the VM two folders down for a developer with no role in its namespace (eve), and
// nothing else; view reads, edit operates, owner also changes the folder's permissions; a group
// grant holds for its members; revoking, moving the VM out or moving its folder away ends it at
// once. Folder permissions never reach a namespace, a host, another folder, or the Kubernetes API.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actorForUser, authorize, deploysVms, isAuthorized, operatesVms, readAccessScope, type UserActor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { getObject } from "@/lib/engine/object-store";
import { createFolder, moveFolder, moveVirtualMachinesToFolder, renameFolder } from "@/lib/engine/operations/folder-operations";
import { setFolderPermissions } from "@/lib/engine/operations/folder-permission-operations";
import { setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { ConflictError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { readNavigatorChildren, readNavigatorPath } from "@/lib/inventory/navigator-reads";
import { readObjectForReader } from "@/lib/inventory/object-access";
import { readListPage } from "@/lib/inventory/object-lists";
import { searchInventory } from "@/lib/inventory/search-reads";
import { readRecentTasks } from "@/lib/inventory/task-reads";
import type { FolderPermission } from "@/lib/inventory/folder-rules";
import { authorizeKube } from "@/lib/kube/kube-access";
import { createNoticeFilter } from "@/lib/live/notice-filter";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { createUser } from "@/lib/users/user-admin";

const actors: Record<string, UserActor> = {};
const uids: Record<string, string> = {};

const resourceVersion = async (name: string) => (await getObject(getPool(), { kind: "Folder", namespace: "", name }))!.resourceVersion;
const grant = async (folder: string, permissions: FolderPermission[], actor = actors.admin!) =>
  setFolderPermissions(actor, { name: folder, permissions, expectedResourceVersion: await resourceVersion(folder) });
const moveVm = async (namespace: string, folder: string | null) => moveVirtualMachinesToFolder(actors.admin!, { vms: [{ namespace, name: "db-03" }], folder });
const webVm = { kind: "VirtualMachine", namespace: "web-team", name: "db-03" };
const dataVm = { kind: "VirtualMachine", namespace: "data-team", name: "db-03" };

async function visibleVms(actor: UserActor) {
  const list = await readListPage("vms", parseListParams("vms", { size: "100" }), await readAccessScope(actor));
  return list!.rows.map((row) => `${String(row.cells.namespace)}/${row.name}`);
}

const childNames = async (actor: UserActor, parent: string | null) =>
  (await readNavigatorChildren("vms-and-templates", parent, await readAccessScope(actor)))?.nodes.map((node) => `${node.kind} ${node.name}`) ?? null;

beforeAll(async () => {
  await seedDemoInventory(prisma);
  for (const [username, role] of [["admin", "administrator"], ["olivia", "operator"], ["dev", "developer"], ["dana", "developer"], ["eve", "developer"], ["gina", "developer"]] as const) {
    const { id } = await createUser("system", { username, name: username, role, password: "folder-permissions-password" });
    actors[username] = (await actorForUser(id))!;
  }
  await seedDemoAccess(prisma);
  const auditors = await prisma.userGroup.create({ data: { name: "auditors", description: "Read the production VMs" } });
  await prisma.userGroupMember.create({ data: { groupId: auditors.id, userId: actors.gina!.id } });
  for (const [name, parent] of [["Production", null], ["Web", "Production"], ["Deep", "Web"], ["Other", null]] as const) {
    uids[name] = (await createFolder(actors.admin!, { name, datacenter: "dc-boston", parent })).object.uid;
  }
  uids["dc-boston"] = (await prisma.resource.findFirstOrThrow({ where: { kind: "Datacenter", name: "dc-boston" } })).uid;
  uids.webVm = (await prisma.resource.findFirstOrThrow({ where: webVm })).uid;
  uids.dataVm = (await prisma.resource.findFirstOrThrow({ where: dataVm })).uid;
});

beforeEach(async () => {
  for (const folder of ["Production", "Web", "Deep", "Other"]) await grant(folder, []);
  await moveVm("web-team", "Deep");
  await moveVm("data-team", "Other");
});

describe("a folder's permission inherits to everything below it", () => {
  it("shows a VM two folders down to a developer with no namespace role, and nothing else", async () => {
    const eve = actors.eve!;
    expect(await isAuthorized(eve, "read", webVm)).toBe(false);
    expect(await childNames(eve, null)).toEqual([]);

    await grant("Production", [{ kind: "User", name: "eve", role: "view" }]);
    expect(await isAuthorized(eve, "read", webVm)).toBe(true);
    expect(await isAuthorized(eve, "read", dataVm)).toBe(false);
    expect(await visibleVms(eve)).toEqual(["web-team/db-03"]);
    expect((await searchInventory("db-03", 10, await readAccessScope(eve))).flatMap((group) => group.hits.map((hit) => `${hit.namespace}/${hit.name}`))).toEqual(["web-team/db-03"]);

    // The navigator: the datacenter › folder path down to the VM, and no namespace, other folder or cluster.
    expect(await childNames(eve, null)).toEqual(["Datacenter dc-boston"]);
    expect(await childNames(eve, uids["dc-boston"]!)).toEqual(["Folder Production"]);
    expect(await childNames(eve, uids.Production!)).toEqual(["Folder Web"]);
    expect(await childNames(eve, uids.Web!)).toEqual(["Folder Deep"]);
    expect(await childNames(eve, uids.Deep!)).toEqual(["VirtualMachine db-03"]);
    expect(await childNames(eve, uids.Other!)).toBeNull();
    expect(await readNavigatorPath("vms-and-templates", uids.webVm!, await readAccessScope(eve))).toEqual([uids["dc-boston"], uids.Production, uids.Web, uids.Deep]);
    expect((await readNavigatorChildren("hosts-and-clusters", null, await readAccessScope(eve)))?.nodes.map((node) => node.name)).toEqual(["dc-boston"]);
    expect(await readNavigatorChildren("hosts-and-clusters", uids["dc-boston"]!, await readAccessScope(eve))).toEqual(expect.objectContaining({ nodes: [] }));

    // Never the namespace, its other VMs, a host or another folder.
    expect(await isAuthorized(eve, "read", { kind: "Namespace", name: "web-team" })).toBe(false);
    expect(await isAuthorized(eve, "read", { kind: "VirtualMachine", namespace: "web-team", name: "web-01" })).toBe(false);
    expect(await isAuthorized(eve, "read", { kind: "Host", name: "esx-01.boston.lab" })).toBe(false);
    expect(await isAuthorized(eve, "read", { kind: "Folder", name: "Other" })).toBe(false);
  });

  it("lets view read and edit operate, and a folder never gives more than a VM's lifecycle", async () => {
    const eve = actors.eve!;
    await grant("Web", [{ kind: "User", name: "eve", role: "view" }]);
    await expect(setVirtualMachinePowerState(eve, { namespace: "web-team", name: "db-03", powerState: "PoweredOff" })).rejects.toThrow(
      "You can view VM db-03 through its folder's permissions but not change it: operating it needs the edit or owner role on its folder.",
    );

    expect(operatesVms(eve, await readAccessScope(eve))).toBe(false);
    await grant("Web", [{ kind: "User", name: "eve", role: "edit" }]);
    // Her lists offer the VM's lifecycle; New Virtual Machine stays hidden: a folder deploys into no namespace.
    expect([operatesVms(eve, await readAccessScope(eve)), deploysVms(eve, await readAccessScope(eve))]).toEqual([true, false]);
    const { taskId } = await setVirtualMachinePowerState(eve, { namespace: "web-team", name: "db-03", powerState: "PoweredOff" });
    expect((await getObject<{ powerState: string }, unknown>(getPool(), { kind: "VirtualMachine", namespace: "web-team", name: "db-03" }))!.spec.powerState).toBe("PoweredOff");
    // Recent Tasks and the live stream follow: her task is hers to see, the other VM's changes are not.
    expect((await readRecentTasks({ access: await readAccessScope(eve) })).map((task) => task.id)).toContain(taskId);
    const filter = createNoticeFilter(eve, getPool(), () => 0);
    const notice = (uid: string) => ({ source: "resources" as const, kinds: ["VirtualMachine"], uids: [uid], ids: null, count: 1 });
    expect(await filter.filter(notice(uids.webVm!))).not.toBeNull();
    expect(await filter.filter(notice(uids.dataVm!))).toBeNull();

    // Edit (and owner) on a folder: a VM's lifecycle only. Never the namespace's own, nor moving VMs and folders.
    await grant("Web", [{ kind: "User", name: "eve", role: "owner" }]);
    expect(await isAuthorized(eve, "managePermissions", webVm)).toBe(false);
    expect(await isAuthorized(eve, "operate", { kind: "Namespace", name: "web-team" })).toBe(false);
    expect(await isAuthorized(eve, "operate", { kind: "VirtualMachine", namespace: "web-team", name: "" })).toBe(false);
    await expect(moveVirtualMachinesToFolder(eve, { vms: [{ namespace: "web-team", name: "db-03" }], folder: null })).rejects.toThrow(ForbiddenError);
    await expect(moveFolder(eve, { name: "Deep", destination: null })).rejects.toThrow(ForbiddenError);
    await expect(renameFolder(eve, { name: "Deep", newName: "Mine" })).rejects.toThrow(ForbiddenError);
    await expect(createFolder(eve, { name: "Mine", datacenter: "dc-boston", parent: "Web" })).rejects.toThrow(ForbiddenError);
    // Nor the Kubernetes API, where folder permissions do not apply.
    const vms = { group: "vmoperator.vmware.com", plural: "virtualmachines", kind: "VirtualMachine", name: "db-03" };
    await expect(authorizeKube(eve, "patch", vms, "web-team", getPool())).rejects.toMatchObject({ code: 403 });
    await expect(authorizeKube(eve, "get", vms, "web-team", getPool())).rejects.toMatchObject({ code: 403 });
  });

  it("ends at once when the grant is revoked, the VM moves out, or its folder moves away", async () => {
    const eve = actors.eve!;
    await grant("Production", [{ kind: "User", name: "eve", role: "edit" }]);
    expect(await visibleVms(eve)).toEqual(["web-team/db-03"]);

    await moveVm("web-team", null);
    expect(await isAuthorized(eve, "read", webVm)).toBe(false);
    expect(await visibleVms(eve)).toEqual([]);
    await moveVm("web-team", "Deep");
    expect(await visibleVms(eve)).toEqual(["web-team/db-03"]);

    await moveFolder(actors.admin!, { name: "Web", destination: "Other", expectedResourceVersion: await resourceVersion("Web") });
    expect(await isAuthorized(eve, "read", webVm)).toBe(false);
    expect(await isAuthorized(eve, "read", { kind: "Folder", name: "Deep" })).toBe(false);
    await moveFolder(actors.admin!, { name: "Web", destination: "Production", expectedResourceVersion: await resourceVersion("Web") });
    expect(await isAuthorized(eve, "operate", webVm)).toBe(true);

    await grant("Production", []);
    expect(await visibleVms(eve)).toEqual([]);
    expect(await isAuthorized(eve, "read", { kind: "Folder", name: "Production" })).toBe(false);
  });

  it("holds for every member of a granted group, and for them only", async () => {
    await grant("Deep", [{ kind: "Group", name: "auditors", role: "view" }]);
    expect(await visibleVms(actors.gina!)).toEqual(["web-team/db-03"]);
    expect(await isAuthorized(actors.eve!, "read", webVm)).toBe(false);
    // Deep's parents show as the path to it; their permissions and other contents stay closed.
    expect(await childNames(actors.gina!, uids["dc-boston"]!)).toEqual(["Folder Production"]);
    expect(await isAuthorized(actors.gina!, "read", { kind: "Folder", name: "Production" })).toBe(true);
    const scope = await readAccessScope(actors.gina!);
    expect(scope.all ? null : [...scope.folders.keys()]).toEqual([uids.Deep]);

    await prisma.userGroupMember.deleteMany({ where: { userId: actors.gina!.id } });
    expect(await visibleVms(actors.gina!)).toEqual([]);
    const auditors = await prisma.userGroup.findUniqueOrThrow({ where: { name: "auditors" } });
    await prisma.userGroupMember.create({ data: { groupId: auditors.id, userId: actors.gina!.id } });
  });

  it("keeps the highest of a user's namespace and folder roles", async () => {
    // dana views data-team's namespace? No: she edits it through the group "developers"; a view grant on Other does not lower that.
    await grant("Other", [{ kind: "User", name: "dana", role: "view" }]);
    expect(await isAuthorized(actors.dana!, "operate", dataVm)).toBe(true);
    // dana only views ml-team; nothing in a folder changes that, and a folder's edit lifts a web-team VM she had no role on.
    await grant("Deep", [{ kind: "User", name: "dana", role: "edit" }]);
    expect(await isAuthorized(actors.dana!, "operate", webVm)).toBe(true);
    expect(await visibleVms(actors.dana!)).toContain("web-team/db-03");
    // In VMs and Templates her datacenter holds only the folders that reach her: data-team is in her Namespaces tree.
    expect(await childNames(actors.dana!, uids["dc-boston"]!)).toEqual(["Folder Other", "Folder Production"]);
    expect((await visibleVms(actors.dana!)).filter((vm) => vm.startsWith("web-team/"))).toEqual(["web-team/db-03"]);
  });
});

describe("who may change a folder's permissions", () => {
  it("is its owners (there or above), administrators and operators; never an editor granting themselves more", async () => {
    const eve = actors.eve!;
    await grant("Production", [{ kind: "User", name: "eve", role: "edit" }]);
    await expect(grant("Production", [{ kind: "User", name: "eve", role: "owner" }], eve)).rejects.toThrow("Only owners of folder Production, administrators and operators can change who may use it.");
    await expect(grant("Web", [{ kind: "User", name: "eve", role: "owner" }], eve)).rejects.toThrow(ForbiddenError);
    expect((await getObject<{ permissions: FolderPermission[] }, unknown>(getPool(), { kind: "Folder", namespace: "", name: "Production" }))!.spec.permissions).toEqual([{ kind: "User", name: "eve", role: "edit" }]);

    await grant("Production", [{ kind: "User", name: "eve", role: "owner" }]);
    await grant("Web", [{ kind: "User", name: "dev", role: "view" }], eve);
    await expect(grant("Other", [{ kind: "User", name: "eve", role: "owner" }], eve)).rejects.toThrow(ForbiddenError);
    // An owner cannot open a folder to everyone signed in; only administrators name that group.
    await expect(grant("Web", [{ kind: "Group", name: "system:authenticated", role: "view" }], eve)).rejects.toThrow(InvalidInputError);
    await grant("Other", [{ kind: "User", name: "dana", role: "view" }], actors.olivia!);
  });

  it("refuses a stale save, a subject that does not exist, one listed twice and a service account, changing nothing", async () => {
    const stale = await resourceVersion("Web");
    await grant("Web", [{ kind: "User", name: "dana", role: "view" }]);
    await expect(setFolderPermissions(actors.admin!, { name: "Web", permissions: [], expectedResourceVersion: stale })).rejects.toThrow(ConflictError);
    await expect(grant("Web", [{ kind: "User", name: "nobody", role: "view" }])).rejects.toThrow('There is no user named "nobody".');
    await expect(grant("Web", [{ kind: "User", name: "dana", role: "view" }, { kind: "User", name: "dana", role: "edit" }])).rejects.toThrow("User dana is listed twice; give each one role.");
    await expect(grant("Web", [{ kind: "ServiceAccount", name: "default", role: "view" } as unknown as FolderPermission])).rejects.toThrow("permissions.0.kind must be User or Group: folder permissions name users and groups");
    await expect(grant("Web", [{ kind: "User", name: "dana", role: "admin" } as unknown as FolderPermission])).rejects.toThrow(InvalidInputError);
    expect((await getObject<{ permissions: FolderPermission[] }, unknown>(getPool(), { kind: "Folder", namespace: "", name: "Web" }))!.spec.permissions).toEqual([{ kind: "User", name: "dana", role: "view" }]);
  });
});

describe("what a folder's reader learns of its permissions", () => {
  it("hides another folder's permissions, and those of the folders above, from a developer", async () => {
    await grant("Production", [{ kind: "User", name: "dana", role: "owner" }]);
    await grant("Deep", [{ kind: "User", name: "eve", role: "view" }]);
    await expect(authorize(actors.eve!, "read", { kind: "Folder", name: "Other" })).rejects.toThrow("You have no role on folder Other.");
    // Production is the path to Deep: eve opens its page, without its permissions; dana, its owner, reads them.
    expect(await readObjectForReader(actors.eve!, uids.Production!)).toMatchObject({ spec: { datacenter: "dc-boston", parent: null }, permissionsHidden: true });
    expect((await readObjectForReader(actors.eve!, uids.Production!))?.spec).not.toHaveProperty("permissions");
    expect((await readObjectForReader(actors.dana!, uids.Production!))?.spec.permissions).toEqual([{ kind: "User", name: "dana", role: "owner" }]);
    expect((await readObjectForReader(actors.eve!, uids.Deep!))?.spec.permissions).toEqual([{ kind: "User", name: "eve", role: "view" }]);
    // Counts are of what eve sees: Production's one path folder and Deep's VM; of dc-boston, that VM and no infrastructure.
    expect((await readObjectForReader(actors.eve!, uids.Production!))?.stats).toEqual({ folders: 1, members: 0, membersBelow: 1 });
    expect((await readObjectForReader(actors.eve!, uids["dc-boston"]!))?.stats).toEqual({ vms: 1, vmsPoweredOn: expect.any(Number) });
    await moveVm("data-team", "Deep");
    expect((await readObjectForReader(actors.admin!, uids.Deep!))?.stats).toMatchObject({ members: 2 });
    expect((await readObjectForReader(actors.eve!, uids.Deep!))?.stats).toMatchObject({ members: 2 });
    // Nor its history, whose audit events show permissions before and after.
    const scope = await readAccessScope(actors.eve!);
    expect(scope.all ? null : [scope.infrastructureUids.includes(uids.Production!), scope.infrastructureUids.includes(uids.Deep!)]).toEqual([false, true]);
  });
});
