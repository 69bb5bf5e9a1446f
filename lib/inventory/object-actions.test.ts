// Which Actions menu each role gets on each kind: what a right-click offers must be exactly what
// the object's page offers, so both read it here.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { readObjectActions } from "@/lib/inventory/object-actions";
import { readObjectView, type ObjectView } from "@/lib/inventory/object-view";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { createUser } from "@/lib/users/user-admin";

const PASSWORD = "object-actions-password";
let admin: SessionUser;
let operator: SessionUser;
let dev: SessionUser;

async function object(kind: string, where = "true"): Promise<ObjectView> {
  const { rows } = await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = $1 AND ${where} ORDER BY name LIMIT 1`, [kind]);
  return (await readObjectView(rows[0]!.uid))!;
}

beforeAll(async () => {
  const user = async (username: string, role: SessionUser["role"]) => ({ id: (await createUser("system", { username, name: username, role, password: PASSWORD })).id, username, name: username, role });
  admin = await user("root-admin", "administrator");
  operator = await user("olivia", "operator");
  dev = await user("dev", "developer");
  // Namespace permissions name their users, so the users come first, as in the demo seed.
  await seedDemoInventory(prisma);
  await seedDemoAccess(prisma);
});

describe("readObjectActions", () => {
  it("gives operators every infrastructure menu, with what each menu needs", async () => {
    const cluster = await object("Cluster", "name = 'prod-cluster-01'");
    const actions = await readObjectActions(cluster, operator);
    expect(actions).toMatchObject({ menu: "Cluster" });
    expect(actions?.menu === "Cluster" && actions.datastores).toContain("prod-cluster-01-vsan");
    // Failure injection is the administrators', on simulated hosts.
    expect(await readObjectActions(await object("Host"), operator)).toEqual({ menu: "Host", failureInjection: false });
    expect(await readObjectActions(await object("Host"), admin)).toEqual({ menu: "Host", failureInjection: true });
    expect(await readObjectActions(await object("VirtualMachine", "namespace = 'web-team'"), operator)).toEqual({ menu: "VirtualMachine", canMigrate: true, folders: [] });
    expect(await readObjectActions(await object("Datastore"), admin)).toEqual({ menu: "Datastore" });
    expect(await readObjectActions(await object("Network"), operator)).toEqual({ menu: "Network" });
    const datacenter = await readObjectActions(await object("Datacenter", "name = 'dc-boston'"), operator);
    expect(datacenter?.menu === "Datacenter" && datacenter.clusters.map((location) => location.cluster)).toEqual(["dev-cluster-01", "prod-cluster-01"]);
  });

  it("offers a folder's Move To every folder of its datacenter but itself and those below it, and a VM's Move To Folder them all; a developer neither", async () => {
    const folder = (name: string, parent: string | null) => prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name, spec: { datacenter: "dc-boston", parent } } });
    const production = await folder("Production", null);
    const web = await folder("Web", production.uid);
    await folder("Frontends", web.uid);
    await folder("Staging", null);
    const actions = await readObjectActions((await readObjectView(web.uid))!, operator);
    expect(actions).toMatchObject({ menu: "Folder", datacenter: "dc-boston" });
    expect(actions?.menu === "Folder" && actions.destinations.map((choice) => choice.path)).toEqual(["Production", "Staging"]);
    const vm = await readObjectActions(await object("VirtualMachine", "namespace = 'web-team'"), operator);
    expect(vm?.menu === "VirtualMachine" && vm.folders?.map((choice) => choice.path)).toEqual(["Production", "Production / Web", "Production / Web / Frontends", "Staging"]);
    expect(await readObjectActions((await readObjectView(web.uid))!, dev)).toBeNull();

    // Host folders are offered to clusters and to host folders only, and VM folders never to them.
    const racks = await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "Racks", spec: { datacenter: "dc-boston", type: "host", parent: null } } });
    await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "Row A", spec: { datacenter: "dc-boston", type: "host", parent: racks.uid } } });
    const cluster = await readObjectActions(await object("Cluster", "name = 'prod-cluster-01'"), operator);
    expect(cluster).toMatchObject({ menu: "Cluster", datacenter: "dc-boston" });
    expect(cluster?.menu === "Cluster" && cluster.folders.map((choice) => choice.path)).toEqual(["Racks", "Racks / Row A"]);
    const hostFolder = await readObjectActions((await readObjectView(racks.uid))!, operator);
    expect(hostFolder?.menu === "Folder" && hostFolder.destinations.map((choice) => choice.path)).toEqual([]);
    const vmAgain = await readObjectActions(await object("VirtualMachine", "namespace = 'web-team'"), operator);
    expect(vmAgain?.menu === "VirtualMachine" && vmAgain.folders?.map((choice) => choice.path)).not.toContain("Racks");
    await prisma.resource.deleteMany({ where: { kind: "Folder" } });
  });

  it("gives a developer their namespace's VMs without Migrate, and nothing on infrastructure or on others' namespaces", async () => {
    expect(await readObjectActions(await object("VirtualMachine", "namespace = 'web-team'"), dev)).toEqual({ menu: "VirtualMachine", canMigrate: false, folders: null });
    // dev owns web-team but did not self-serve it: Delete is shown refused, with the reason.
    expect(await readObjectActions(await object("Namespace", "name = 'web-team'"), dev)).toEqual({
      menu: "Namespace",
      canDeploy: true,
      manage: null,
      deleteRefusal: "Only administrators can delete namespace web-team: it was not created through self-service.",
    });
    expect(await readObjectActions(await object("VirtualMachine", "namespace = 'ml-team'"), dev)).toBeNull();
    expect(await readObjectActions(await object("Host"), dev)).toBeNull();
    expect(await readObjectActions(await object("Cluster"), dev)).toBeNull();
    expect(await readObjectActions(await object("Datastore"), dev)).toBeNull();
  });
});
