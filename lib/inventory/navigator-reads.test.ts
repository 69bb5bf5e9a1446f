import { beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
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
});
