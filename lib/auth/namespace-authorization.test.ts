// The role × action × object matrix, decided on the server against a real database: the demo's
// namespaces and permissions (dev owns web-team; the group "developers" — dev and dana — edits
// data-team; dana views ml-team), an operator, an administrator and a developer with no access.
// Beyond the decisions themselves, the engine functions, route handlers and server actions are
// called directly, including with another namespace's object ids.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { actorForUser, assertCan, authorize, readAccessScope, visibleNamespaces, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createNamespace, selfServiceNamespace, setNamespacePermissions, updateNamespace } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine, migrateVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { searchInventory } from "@/lib/inventory/search-reads";
import { readListPage } from "@/lib/inventory/object-lists";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { readNavigatorChildren } from "@/lib/inventory/navigator-reads";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

// Route handlers and server actions read the session from the request; outside Next.js the
// request's headers are the one thing we supply ourselves (the session behind them is real).
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "matrix-password";
const actors: Record<string, UserActor> = {};

beforeAll(async () => {
  await seedDemoInventory(prisma);
  for (const [username, role] of [["admin", "administrator"], ["olivia", "operator"], ["dev", "developer"], ["dana", "developer"], ["eve", "developer"]] as const) {
    const { id } = await createUser("system", { username, name: username, role, password: PASSWORD });
    actors[username] = (await actorForUser(id))!;
  }
  await seedDemoAccess(prisma);
});

const vm = (namespace: string, name = "db-03") => ({ kind: "VirtualMachine", namespace, name });
const namespace = (name: string) => ({ kind: "Namespace", name });

type Row = [verb: Verb, object: { kind: string; namespace?: string; name: string }, allowed: string[]];

// Every row lists who may; everyone else must be refused.
const MATRIX: Row[] = [
  ["read", vm("web-team"), ["admin", "olivia", "dev"]],
  ["read", vm("data-team"), ["admin", "olivia", "dev", "dana"]],
  ["read", vm("ml-team"), ["admin", "olivia", "dana"]],
  ["read", namespace("ml-team"), ["admin", "olivia", "dana"]],
  ["operate", vm("web-team"), ["admin", "olivia", "dev"]],
  ["operate", vm("data-team"), ["admin", "olivia", "dev", "dana"]],
  ["operate", vm("ml-team"), ["admin", "olivia"]],
  ["managePermissions", namespace("web-team"), ["admin", "olivia", "dev"]],
  ["managePermissions", namespace("data-team"), ["admin", "olivia"]],
  ["managePermissions", namespace("ml-team"), ["admin", "olivia"]],
  ["read", { kind: "Cluster", name: "prod-cluster-01" }, ["admin", "olivia", "dev"]],
  ["read", { kind: "Cluster", name: "edge-cluster-01" }, ["admin", "olivia", "dana"]],
  ["read", { kind: "Datastore", name: "dev-cluster-01-vsan" }, ["admin", "olivia", "dev", "dana"]],
  ["read", { kind: "VirtualMachineClass", name: "best-effort-small" }, ["admin", "olivia", "dev", "dana"]],
  ["read", { kind: "Host", name: "esx-01.boston.lab" }, ["admin", "olivia"]],
  ["read", { kind: "Datacenter", name: "dc-boston" }, ["admin", "olivia"]],
  ["operate", { kind: "Host", name: "esx-01.boston.lab" }, ["admin", "olivia"]],
  ["operate", { kind: "Cluster", name: "prod-cluster-01" }, ["admin", "olivia"]],
  ["operate", namespace("web-team"), ["admin", "olivia"]],
];

describe("authorize: role × action × object", () => {
  for (const [verb, object, allowed] of MATRIX) {
    for (const username of ["admin", "olivia", "dev", "dana", "eve"]) {
      const may = allowed.includes(username);
      it(`${username} ${may ? "may" : "may not"} ${verb} ${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name}`, async () => {
        const decision = authorize(actors[username]!, verb, object);
        if (may) await expect(decision).resolves.toBeUndefined();
        else await expect(decision).rejects.toBeInstanceOf(ForbiddenError);
      });
    }
  }

  it("says why, in words", async () => {
    await expect(authorize(actors.dana!, "operate", vm("ml-team"))).rejects.toThrow("You can view namespace ml-team but not change it: operating its VMs needs the edit or owner role.");
    await expect(authorize(actors.dev!, "read", vm("ml-team"))).rejects.toThrow("You have no access to namespace ml-team.");
    await expect(authorize(actors.dev!, "read", { kind: "Host", name: "esx-01.boston.lab" })).rejects.toThrow("Host esx-01.boston.lab is not used by any of your namespaces.");
  });

  it("only administrators manage namespaces, groups and templates", () => {
    expect(() => assertCan(actors.admin!, "namespaces.manage")).not.toThrow();
    for (const username of ["olivia", "dev", "eve"]) expect(() => assertCan(actors[username]!, "namespaces.manage")).toThrow(ForbiddenError);
  });

  it("lists each actor's namespaces with their role, through groups too", async () => {
    expect(await visibleNamespaces(actors.dev!)).toEqual([
      { name: "data-team", role: "edit" },
      { name: "web-team", role: "owner" },
    ]);
    expect(await visibleNamespaces(actors.dana!)).toEqual([
      { name: "data-team", role: "edit" },
      { name: "ml-team", role: "view" },
    ]);
    expect(await visibleNamespaces(actors.eve!)).toEqual([]);
    expect((await visibleNamespaces(actors.olivia!)).map((entry) => entry.name)).toEqual(["data-team", "ml-team", "web-team"]);
  });
});

describe("reads show only what the reader may see", () => {
  it("lists, search and the navigator leave other namespaces out", async () => {
    const dev = await readAccessScope(actors.dev!);
    const vms = await readListPage("vms", parseListParams("vms", { size: "100" }), dev);
    expect(new Set(vms!.rows.map((row) => row.cells.namespace))).toEqual(new Set(["web-team", "data-team"]));
    expect(vms!.total).toBe(40);
    const hits = await searchInventory("cache", 50, dev);
    expect(hits.flatMap((group) => group.hits.map((hit) => hit.namespace)).filter(Boolean).every((name) => name !== "ml-team")).toBe(true);
    expect(hits.some((group) => group.kind === "Host")).toBe(false);

    const mlTeam = await prisma.resource.findFirstOrThrow({ where: { kind: "Namespace", name: "ml-team" } });
    expect(await readListPage("vms", parseListParams("vms", {}), dev, mlTeam.uid)).toBeNull();
    expect(await readNavigatorChildren("namespaces", mlTeam.uid, dev)).toBeNull();
    const roots = await readNavigatorChildren("namespaces", null, dev);
    expect(roots!.nodes.map((node) => node.name)).toEqual(["dev-cluster-01", "prod-cluster-01"]);
    expect((await readNavigatorChildren("hosts-and-clusters", null, dev))!.nodes).toEqual([]);
  });
});

describe("the engine enforces the same rules for every client", () => {
  it("refuses VM lifecycle outside the actor's role, and allows it inside", async () => {
    await expect(setVirtualMachinePowerState(actors.dev!, { namespace: "ml-team", name: "db-03", powerState: "PoweredOff" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setVirtualMachinePowerState(actors.dana!, { namespace: "ml-team", name: "db-03", powerState: "PoweredOff" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setVirtualMachinePowerState(actors.dana!, { namespace: "data-team", name: "api-02", powerState: "PoweredOff" })).resolves.toMatchObject({ object: { spec: { powerState: "PoweredOff" } } });
    const spec = { className: "best-effort-small", imageName: "photon-5", storageClass: "edge-cluster-01-vsan", powerState: "PoweredOff" as const };
    await expect(createVirtualMachine(actors.dana!, { namespace: "ml-team", name: "sneaky", spec })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(migrateVirtualMachine(actors.dev!, { namespace: "web-team", name: "web-01", host: "esx-02.boston.lab" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lets owners, administrators and operators change a namespace's permissions, and no one else", async () => {
    const permissions = [
      { kind: "User" as const, name: "dev", role: "owner" as const },
      { kind: "User" as const, name: "eve", role: "view" as const },
    ];
    await expect(setNamespacePermissions(actors.dana!, { name: "data-team", permissions })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setNamespacePermissions(actors.dev!, { name: "data-team", permissions })).rejects.toBeInstanceOf(ForbiddenError);
    await setNamespacePermissions(actors.dev!, { name: "web-team", permissions });
    expect(await visibleNamespaces(actors.eve!)).toEqual([{ name: "web-team", role: "view" }]);
    await expect(setNamespacePermissions(actors.dev!, { name: "web-team", permissions: [{ kind: "Group", name: "nobody", role: "view" }] })).rejects.toThrow('There is no group named "nobody".');
  });

  it("lets administrators create and edit namespaces, and developers self-serve within a template", async () => {
    await expect(createNamespace(actors.olivia!, { name: "ops-made", cluster: "dev-cluster-01" })).rejects.toBeInstanceOf(ForbiddenError);
    await createNamespace(actors.admin!, { name: "admin-made", cluster: "dev-cluster-01", limits: { cpu: 4 } });
    await expect(updateNamespace(actors.olivia!, { name: "admin-made", limits: { cpu: 8 } })).rejects.toBeInstanceOf(ForbiddenError);

    const { object } = await selfServiceNamespace(actors.dana!, { name: "dana-sandbox", cluster: "dev-cluster-01" });
    expect(object.spec).toMatchObject({ limits: { cpu: 8, memoryMiB: 32 * 1024, storageGiB: 200 }, permissions: [{ kind: "User", name: "dana", role: "owner" }] });
    expect(object.spec.vmClasses).toContain("best-effort-small");
    await expect(selfServiceNamespace(actors.dana!, { name: "too-big", cluster: "dev-cluster-01", limits: { cpu: 64 } })).rejects.toThrow(
      "CPU limit may be at most 32 vCPUs on dev-cluster-01; 64 vCPUs was asked.",
    );
    await expect(selfServiceNamespace(actors.eve!, { name: "eve-sandbox", cluster: "dev-cluster-01" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(selfServiceNamespace(actors.dana!, { name: "elsewhere", cluster: "prod-cluster-01" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("route handlers and server actions refuse another namespace's object ids", () => {
  it("answers 403 or 404 to dev for ml-team's VM, its tasks, its events and its namespace's lists", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const { rows } = await getPool().query<{ uid: string; ns: string }>(
      `SELECT v.uid::text, n.uid::text AS ns FROM resources v JOIN resources n ON n.kind = 'Namespace' AND n.name = v.namespace WHERE v.kind = 'VirtualMachine' AND v.namespace = 'ml-team' LIMIT 1`,
    );
    const { uid, ns } = rows[0]!;
    const objects = await import("@/app/api/objects/[uid]/route");
    const tasks = await import("@/app/api/objects/[uid]/tasks/route");
    const events = await import("@/app/api/objects/[uid]/events/route");
    const lists = await import("@/app/api/lists/[list]/route");
    const at = (path: string) => new Request(`http://skylight.test${path}`);
    const params = { params: Promise.resolve({ uid }) };
    expect((await objects.GET(at(`/api/objects/${uid}`), params)).status).toBe(403);
    expect((await tasks.GET(at(`/api/objects/${uid}/tasks`), params)).status).toBe(403);
    expect((await events.GET(at(`/api/objects/${uid}/events`), params)).status).toBe(403);
    expect((await lists.GET(at(`/api/lists/vms?scope=${ns}`), { params: Promise.resolve({ list: "vms" }) })).status).toBe(404);
    const own = await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' LIMIT 1`);
    expect((await objects.GET(at(`/api/objects/${own.rows[0]!.uid}`), { params: Promise.resolve({ uid: own.rows[0]!.uid }) })).status).toBe(200);
  });

  it("refuses dev's server action on ml-team's VM, naming why, and changes nothing", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const { setVmPowerState } = await import("@/lib/actions/vms/set-vm-power-state");
    const result = await setVmPowerState({ namespace: "ml-team", name: "web-01", operation: "powerOff" });
    expect(result?.serverError?.message).toBe("You have no access to namespace ml-team.");
    const vmRow = await prisma.resource.findFirstOrThrow({ where: { kind: "VirtualMachine", namespace: "ml-team", name: "web-01" } });
    expect((vmRow.spec as { powerState: string }).powerState).toBe("PoweredOn");
  });
});
