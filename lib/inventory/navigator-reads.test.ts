import { beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING, type AccessScope } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { readDatacenterFolders, readFolderSummary } from "@/lib/inventory/folder-reads";
import { readNavigatorChildren, readNavigatorPath } from "@/lib/inventory/navigator-reads";
import { seedDemoInventory } from "@/lib/seed/demo-inventory";

const uid = async (kind: string, name: string, namespace = "") => (await prisma.resource.findUniqueOrThrow({ where: { kind_namespace_name: { kind, namespace, name } } })).uid;
const setHost = (name: string, status: object) => prisma.resource.update({ where: { kind_namespace_name: { kind: "Host", namespace: "", name } }, data: { status } });

beforeAll(async () => {
  await seedDemoInventory(prisma);
  for (const host of await prisma.resource.findMany({ where: { kind: "Host" } })) {
    await setHost(host.name, { ...(host.status as object), connectionState: "connected", inMaintenanceMode: false });
  }
});

describe("navigator", () => {
  it("rolls a host in trouble up to its cluster (yellow, red when all are down) and datacenter", async () => {
    await setHost("esx-10.seattle.lab", { connectionState: "notResponding" });
    const clusters = await readNavigatorChildren("hosts-and-clusters", await uid("Datacenter", "dc-seattle"), EVERYTHING);
    expect(clusters?.nodes).toEqual([expect.objectContaining({ name: "edge-cluster-01", health: "yellow", healthReason: "1 of 3 hosts not responding" })]);
    const roots = await readNavigatorChildren("hosts-and-clusters", null, EVERYTHING);
    expect(roots?.nodes.map((node) => [node.name, node.health])).toEqual([["dc-boston", "green"], ["dc-seattle", "yellow"]]);

    await setHost("esx-11.seattle.lab", { connectionState: "disconnected" });
    await setHost("esx-12.seattle.lab", { connectionState: "notResponding" });
    const down = await readNavigatorChildren("hosts-and-clusters", null, EVERYTHING);
    expect(down?.nodes.find((node) => node.name === "dc-seattle")).toMatchObject({ health: "red" });
    const hosts = await readNavigatorChildren("hosts-and-clusters", await uid("Cluster", "edge-cluster-01"), EVERYTHING);
    expect(hosts?.nodes.find((node) => node.name === "esx-11.seattle.lab")).toMatchObject({ state: "disconnected", health: "red" });
  });

  it("shows a triggered alarm on its object and, as a warning, on its cluster and datacenter", async () => {
    const host = await uid("Host", "esx-01.boston.lab");
    const [definition] = await prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM alarm_definitions WHERE name = 'Host CPU usage'`;
    await prisma.$executeRaw`INSERT INTO alarm_states (definition_id, object_uid, object_kind, object_name, status, triggered_at, message)
                             VALUES (${definition!.id}::uuid, ${host}::uuid, 'Host', 'esx-01.boston.lab', 'red', now(), 'CPU usage 97 %')`;
    const boston = await uid("Datacenter", "dc-boston");
    const clusters = await readNavigatorChildren("hosts-and-clusters", boston, EVERYTHING);
    const cluster = clusters!.nodes.find((node) => node.name === "prod-cluster-01")!;
    expect(cluster).toMatchObject({ health: "yellow", healthReason: "Host CPU usage on esx-01.boston.lab" });
    expect((await readNavigatorChildren("hosts-and-clusters", cluster.uid, EVERYTHING))?.nodes.find((node) => node.name === "esx-01.boston.lab")).toMatchObject({
      health: "red",
      healthReason: "Host CPU usage",
    });
    expect((await readNavigatorChildren("hosts-and-clusters", null, EVERYTHING))?.nodes.find((node) => node.name === "dc-boston")).toMatchObject({ health: "yellow" });
    await prisma.$executeRaw`DELETE FROM alarm_states`;
    expect((await readNavigatorChildren("hosts-and-clusters", boston, EVERYTHING))?.nodes.find((node) => node.name === "prod-cluster-01")).toMatchObject({ health: "green" });
  });

  it("lists the first 200 children of a crowded namespace and links to all of them", async () => {
    await prisma.resource.createMany({
      data: Array.from({ length: 230 }, (_, index) => ({
        apiVersion: "vmoperator.vmware.com/v1alpha3",
        kind: "VirtualMachine",
        namespace: "ml-team",
        name: `batch-${String(index).padStart(3, "0")}`,
        labels: { "skylight.io/cluster": "edge-cluster-01" },
        status: { powerState: "PoweredOn" },
      })),
    });
    const namespace = await uid("Namespace", "ml-team");
    const vms = await readNavigatorChildren("vms-and-templates", namespace, EVERYTHING);
    expect(vms).toMatchObject({ childKind: "VirtualMachine", total: 250, showAllHref: `/objects/${namespace}/vms` });
    expect(vms?.nodes).toHaveLength(200);
    expect(vms?.nodes[0]).toMatchObject({ name: "api-02", state: "poweredOff", namespace: "ml-team" });
  });

  it("finds the path from each view's root to an object, and none where the view does not show it", async () => {
    const vm = await uid("VirtualMachine", "web-01", "web-team");
    expect(await readNavigatorPath("vms-and-templates", vm, EVERYTHING)).toEqual([await uid("Datacenter", "dc-boston"), await uid("Namespace", "web-team")]);
    expect(await readNavigatorPath("namespaces", vm, EVERYTHING)).toEqual([await uid("Cluster", "prod-cluster-01"), await uid("Namespace", "web-team")]);
    // Not placed yet: under its cluster in Hosts and Clusters.
    expect(await readNavigatorPath("hosts-and-clusters", vm, EVERYTHING)).toEqual([await uid("Datacenter", "dc-boston"), await uid("Cluster", "prod-cluster-01")]);
    expect(await readNavigatorPath("storage", vm, EVERYTHING)).toBeNull();
  });

  it("shows a datacenter's VM folders before its namespaces, a folder's subfolders before its VMs, and a VM in a folder only there", async () => {
    const boston = await uid("Datacenter", "dc-boston");
    const folder = (name: string, parent: string | null) =>
      prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name, spec: { datacenter: "dc-boston", parent } } });
    const production = await folder("Production", null);
    const web = await folder("Web", production.uid);
    await folder("Empty", production.uid);
    const vm = await uid("VirtualMachine", "web-01", "web-team");
    await prisma.$executeRaw`UPDATE resources SET labels = labels || jsonb_build_object('skylight.io/folder', ${production.uid}::text) WHERE uid = ${vm}::uuid`;

    const top = await readNavigatorChildren("vms-and-templates", boston, EVERYTHING);
    expect(top?.nodes.slice(0, 2).map((node) => node.kind)).toEqual(["Folder", "Namespace"]);
    expect(top?.nodes[0]).toMatchObject({ name: "Production", expandable: true });
    const inProduction = await readNavigatorChildren("vms-and-templates", production.uid, EVERYTHING);
    expect(inProduction?.nodes.map((node) => [node.kind, node.name, node.expandable])).toEqual([["Folder", "Empty", false], ["Folder", "Web", false], ["VirtualMachine", "web-01", false]]);
    const inNamespace = await readNavigatorChildren("vms-and-templates", await uid("Namespace", "web-team"), EVERYTHING);
    expect(inNamespace?.nodes.map((node) => node.name)).not.toContain("web-01");
    expect(await readNavigatorPath("vms-and-templates", vm, EVERYTHING)).toEqual([boston, production.uid]);
    expect(await readNavigatorPath("vms-and-templates", web.uid, EVERYTHING)).toEqual([boston, production.uid]);

    // The folder's Summary counts what is in it and below it; Move To lists paths from the datacenter down.
    await prisma.$executeRaw`UPDATE resources SET labels = labels || jsonb_build_object('skylight.io/folder', ${web.uid}::text) WHERE uid = (SELECT uid FROM resources WHERE kind = 'VirtualMachine' AND name <> 'web-01' ORDER BY name LIMIT 1)`;
    expect(await readFolderSummary(production.uid)).toEqual({ datacenter: "dc-boston", type: "vm", path: "Production", folders: 2, members: 1, membersBelow: 2 });
    expect(await readFolderSummary(web.uid)).toMatchObject({ path: "Production / Web", folders: 0, members: 1, membersBelow: 1 });
    expect((await readDatacenterFolders("dc-boston", "vm")).map((choice) => [choice.path, choice.lineage.length])).toEqual([["Production", 1], ["Production / Empty", 2], ["Production / Web", 2]]);

    // A developer sees no folders: their VMs stay under their namespace, and a folder is not theirs to open.
    const developer: AccessScope = { all: false, namespaces: new Map([["web-team", "owner"]]), infrastructure: new Set(["Datacenter/dc-boston"]), namespaceUids: [], infrastructureUids: [], folders: new Map(), seenFolderUids: [] };
    expect((await readNavigatorChildren("vms-and-templates", boston, developer))?.nodes.map((node) => node.kind)).not.toContain("Folder");
    expect((await readNavigatorChildren("vms-and-templates", await uid("Namespace", "web-team"), developer))?.nodes.map((node) => node.name)).toContain("web-01");
    expect(await readNavigatorChildren("vms-and-templates", production.uid, developer)).toBeNull();
    expect(await readNavigatorPath("vms-and-templates", vm, developer)).toEqual([boston, await uid("Namespace", "web-team")]);
  });

  it("shows a datacenter's host folders before its clusters in Hosts and Clusters, a cluster in a host folder only there with its hosts and VMs below it, and no VM folder there", async () => {
    const boston = await uid("Datacenter", "dc-boston");
    const cluster = await uid("Cluster", "prod-cluster-01");
    const racks = await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "Racks", spec: { datacenter: "dc-boston", type: "host", parent: null } } });
    const rowA = await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "Row A", spec: { datacenter: "dc-boston", type: "host", parent: racks.uid } } });
    await prisma.$executeRaw`UPDATE resources SET labels = labels || jsonb_build_object('skylight.io/folder', ${rowA.uid}::text) WHERE uid = ${cluster}::uuid`;

    const top = await readNavigatorChildren("hosts-and-clusters", boston, EVERYTHING);
    // Host folders first; VM folders (Production, from the test before) are not shown here, nor is the cluster in Row A.
    expect(top?.nodes.map((node) => [node.kind, node.name, node.expandable])).toEqual([["Folder", "Racks", true], ["Cluster", "dev-cluster-01", true]]);
    expect((await readNavigatorChildren("hosts-and-clusters", racks.uid, EVERYTHING))?.nodes.map((node) => [node.kind, node.name, node.expandable])).toEqual([["Folder", "Row A", true]]);
    expect((await readNavigatorChildren("hosts-and-clusters", rowA.uid, EVERYTHING))?.nodes.map((node) => [node.kind, node.name])).toEqual([["Cluster", "prod-cluster-01"]]);
    expect((await readNavigatorChildren("hosts-and-clusters", cluster, EVERYTHING))?.nodes.map((node) => node.kind)).toContain("Host");
    const host = await uid("Host", "esx-01.boston.lab");
    expect(await readNavigatorPath("hosts-and-clusters", host, EVERYTHING)).toEqual([boston, racks.uid, rowA.uid, cluster]);
    expect(await readNavigatorPath("hosts-and-clusters", rowA.uid, EVERYTHING)).toEqual([boston, racks.uid]);

    // Each kind of folder only in its own view; VM folders and host folders never cross.
    const production = await uid("Folder", "Production");
    expect(await readNavigatorChildren("hosts-and-clusters", production, EVERYTHING)).toBeNull();
    expect(await readNavigatorPath("hosts-and-clusters", production, EVERYTHING)).toBeNull();
    expect(await readNavigatorChildren("vms-and-templates", racks.uid, EVERYTHING)).toBeNull();
    expect(await readNavigatorPath("vms-and-templates", rowA.uid, EVERYTHING)).toBeNull();
    expect((await readNavigatorChildren("vms-and-templates", boston, EVERYTHING))?.nodes.map((node) => node.name)).not.toContain("Racks");
    expect((await readDatacenterFolders("dc-boston", "host")).map((choice) => choice.path)).toEqual(["Racks", "Racks / Row A"]);
    expect(await readFolderSummary(racks.uid)).toEqual({ datacenter: "dc-boston", type: "host", path: "Racks", folders: 1, members: 0, membersBelow: 1 });

    // Who sees only their namespaces sees every cluster of the datacenter where it always was, and no host folder.
    const developer: AccessScope = { all: false, namespaces: new Map([["web-team", "owner"]]), infrastructure: new Set(["Datacenter/dc-boston", "Cluster/prod-cluster-01"]), namespaceUids: [], infrastructureUids: [], folders: new Map(), seenFolderUids: [] };
    expect((await readNavigatorChildren("hosts-and-clusters", boston, developer))?.nodes.map((node) => node.kind)).not.toContain("Folder");
    expect(await readNavigatorChildren("hosts-and-clusters", racks.uid, developer)).toBeNull();
  });
});
