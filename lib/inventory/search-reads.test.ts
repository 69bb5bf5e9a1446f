import { beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING, type AccessScope } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { searchInventory } from "@/lib/inventory/search-reads";
import { seedDemoInventory } from "@/lib/seed/demo-inventory";

beforeAll(async () => {
  await seedDemoInventory(prisma);
});

describe("search", () => {
  it("finds objects by name, IP address and label, grouped by kind with totals", async () => {
    const byName = await searchInventory("cluster-01", 10, EVERYTHING);
    expect(byName.map((group) => [group.kind, group.total])).toEqual([["Cluster", 3], ["Datastore", 3]]);
    const byIp = await searchInventory("10.20.3.10", 10, EVERYTHING);
    expect(byIp).toEqual([{ kind: "Host", total: 1, hits: [expect.objectContaining({ name: "esx-03.boston.lab", matched: "IP address", matchedValue: "10.20.3.10", context: "prod-cluster-01" })] }]);
    const byLabel = await searchInventory("app=db", 5, EVERYTHING);
    expect(byLabel[0]).toMatchObject({ kind: "VirtualMachine", total: 12 });
    expect(byLabel[0]!.hits).toHaveLength(5);
    expect(byLabel[0]!.hits[0]).toMatchObject({ matched: "label", matchedValue: "app=db" });
    expect(await searchInventory("5%", 10, EVERYTHING)).toEqual([]);
  });

  it("finds a VM folder by name, with its datacenter, for those who see folders only", async () => {
    await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "Finance VMs", spec: { datacenter: "dc-boston", parent: null } } });
    expect(await searchInventory("finance", 10, EVERYTHING)).toEqual([expect.objectContaining({ kind: "Folder", total: 1, hits: [expect.objectContaining({ name: "Finance VMs", context: "dc-boston" })] })]);
    const developer: AccessScope = { all: false, namespaces: new Map([["web-team", "owner"]]), infrastructure: new Set(["Datacenter/dc-boston"]), namespaceUids: [], infrastructureUids: [], folders: new Map(), seenFolderUids: [] };
    expect(await searchInventory("finance", 10, developer)).toEqual([]);
  });
});
