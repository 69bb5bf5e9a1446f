// The role × action × object matrix, decided on the server against a real database: the demo's
// namespaces and permissions (dev owns web-team; the group "developers" — dev and dana — edits
// data-team; dana views ml-team), an operator, an administrator and a developer with no access.
// Beyond the decisions themselves, the engine functions, route handlers and server actions are
// called directly, including with another namespace's object ids, and with a namespace name that a
// deleted namespace had (its history must not come with the name).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { actorForUser, assertCan, authorize, readAccessScope, visibleNamespaces, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { reconcileNamespace } from "@/lib/engine/controllers/namespace-controller";
import { reconcileVirtualMachine } from "@/lib/engine/controllers/vm-controller";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { getObject, type ObjectKey } from "@/lib/engine/object-store";
import {
  createNamespace,
  deleteNamespace,
  selfServiceNamespace,
  setNamespaceMetadata,
  setNamespacePermissions,
  updateNamespace,
} from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine, deleteVirtualMachine, migrateVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { searchInventory } from "@/lib/inventory/search-reads";
import { readListPage } from "@/lib/inventory/object-lists";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { readNavigatorChildren } from "@/lib/inventory/navigator-reads";
import { createNoticeFilter } from "@/lib/live/notice-filter";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { createSimulator } from "@/lib/simulator/simulator";
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

  it("lists each actor's namespaces with their role, through groups too, and default, which everyone views", async () => {
    const system = { name: "default", role: "view" };
    expect(await visibleNamespaces(actors.dev!)).toEqual([
      { name: "data-team", role: "edit" },
      system,
      { name: "web-team", role: "owner" },
    ]);
    expect(await visibleNamespaces(actors.dana!)).toEqual([
      { name: "data-team", role: "edit" },
      system,
      { name: "ml-team", role: "view" },
    ]);
    expect(await visibleNamespaces(actors.eve!)).toEqual([system]);
    expect((await visibleNamespaces(actors.olivia!)).map((entry) => entry.name)).toEqual(["data-team", "default", "ml-team", "web-team"]);
  });
});

describe("reads show only what the reader may see", () => {
  it("lists, search and the navigator leave other namespaces out", async () => {
    const dev = await readAccessScope(actors.dev!);
    const vms = await readListPage("vms", parseListParams("vms", { size: "100" }), dev);
    expect(new Set(vms!.rows.map((row) => row.cells.namespace))).toEqual(new Set(["web-team", "data-team"]));
    expect(vms!.total).toBe(40);
    // Names of infrastructure a developer may not open are text, not links into "not found".
    const host = await prisma.resource.findFirstOrThrow({ where: { kind: "Host" } });
    const webVm = await prisma.resource.findFirstOrThrow({ where: { kind: "VirtualMachine", namespace: "web-team" } });
    await prisma.resource.update({ where: { uid: webVm.uid }, data: { status: { ...(webVm.status as object), host: host.name } } });
    const placedList = await readListPage("vms", parseListParams("vms", { size: "100", q: webVm.name }), dev);
    const placed = placedList!.rows.find((row) => row.uid === webVm.uid)!;
    expect(Object.keys(placed.links).sort()).toEqual(["cluster", "datastore", "namespace"]);
    const operatorList = await readListPage("vms", parseListParams("vms", { size: "100" }), await readAccessScope(actors.olivia!));
    expect(Object.keys(operatorList!.rows.find((row) => row.uid === placed.uid)!.links).sort()).toEqual(["cluster", "datastore", "host", "namespace"]);
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
    expect(await visibleNamespaces(actors.eve!)).toEqual([{ name: "default", role: "view" }, { name: "web-team", role: "view" }]);
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
  it("answers dev about ml-team's VM, its tasks, events and performance exactly as about one that does not exist", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const { rows } = await getPool().query<{ uid: string; ns: string }>(
      `SELECT v.uid::text, n.uid::text AS ns FROM resources v JOIN resources n ON n.kind = 'Namespace' AND n.name = v.namespace WHERE v.kind = 'VirtualMachine' AND v.namespace = 'ml-team' LIMIT 1`,
    );
    const { uid, ns } = rows[0]!;
    const missing = randomUUID();
    const routes = {
      "": await import("@/app/api/objects/[uid]/route"),
      "/tasks": await import("@/app/api/objects/[uid]/tasks/route"),
      "/events": await import("@/app/api/objects/[uid]/events/route"),
      "/performance": await import("@/app/api/objects/[uid]/performance/route"),
    };
    const lists = await import("@/app/api/lists/[list]/route");
    const at = (path: string) => new Request(`http://skylight.test${path}`);
    const answer = async (response: Response) => [response.status, await response.json()];
    for (const [suffix, route] of Object.entries(routes)) {
      const foreign = await answer(await route.GET(at(`/api/objects/${uid}${suffix}`), { params: Promise.resolve({ uid }) }));
      expect(foreign, `/api/objects/<uid>${suffix}`).toEqual(await answer(await route.GET(at(`/api/objects/${missing}${suffix}`), { params: Promise.resolve({ uid: missing }) })));
      expect(foreign[0]).toBe(404);
      expect(JSON.stringify(foreign)).not.toMatch(/ml-team|VirtualMachine/);
    }
    expect((await lists.GET(at(`/api/lists/vms?scope=${ns}`), { params: Promise.resolve({ list: "vms" }) })).status).toBe(404);
    const own = await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' LIMIT 1`);
    expect((await routes[""].GET(at(`/api/objects/${own.rows[0]!.uid}`), { params: Promise.resolve({ uid: own.rows[0]!.uid }) })).status).toBe(200);
  });

  it("answers dev's bulk action on ml-team's VMs exactly as on VMs that do not exist, whatever their power state, and changes nothing", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const { runVmBulkOperation } = await import("@/lib/actions/vms/run-vm-bulk-operation");
    const specs = async () => (await getPool().query<{ uid: string; spec: unknown }>(`SELECT uid::text, spec FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'ml-team' ORDER BY uid`)).rows;
    const before = await specs();
    const foreign = before.map((row) => row.uid);
    for (const operation of ["powerOn", "powerOff", "delete"] as const) {
      const answer = await runVmBulkOperation({ uids: foreign, operation });
      expect(answer).toEqual(await runVmBulkOperation({ uids: foreign.map(() => randomUUID()), operation }));
      expect(answer?.data).toEqual({ started: 0, unchanged: 0, failed: [], notFound: foreign.length });
    }
    expect(await specs()).toEqual(before);
  });

  it("refuses a bulk action to a namespace's viewer for every VM, before looking at its state", async () => {
    request.headers = await signInAs("dana", PASSWORD);
    const { runVmBulkOperation } = await import("@/lib/actions/vms/run-vm-bulk-operation");
    const { rows } = await getPool().query<{ uid: string; name: string }>(`SELECT uid::text, name FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'ml-team' ORDER BY name`);
    const answer = await runVmBulkOperation({ uids: rows.map((row) => row.uid), operation: "powerOff" });
    const refusal = "You can view namespace ml-team but not change it: operating its VMs needs the edit or owner role.";
    expect(answer?.data).toEqual({ started: 0, unchanged: 0, notFound: 0, failed: rows.map((row) => ({ name: row.name, message: refusal })) });
  });

  it("answers dev's YAML apply to ml-team's VM exactly as to one that does not exist, before reading the YAML or the VM", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const { applyObjectYaml } = await import("@/lib/actions/objects/apply-object-yaml");
    const apply = (namespace: string, openedYaml: string) => applyObjectYaml({ kind: "VirtualMachine", namespace, name: "db-03", openedYaml, yaml: "spec:\n  powerState: PoweredOff\n" });
    for (const opened of ["spec: {}\n", "spec: [unclosed\n"]) {
      const foreign = await apply("ml-team", opened);
      expect(foreign).toEqual(await apply("no-such-team", opened));
      expect(foreign?.serverError?.message).toBe('VirtualMachine "db-03" no longer exists.');
    }
    const vmRow = await prisma.resource.findFirstOrThrow({ where: { kind: "VirtualMachine", namespace: "ml-team", name: "db-03" } });
    expect((vmRow.spec as { powerState: string }).powerState).toBe("PoweredOn");
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

describe("a namespace's name, reused, brings none of its history", () => {
  const NAME = "finance";
  const SPEC = { className: "best-effort-small", imageName: "photon-5", storageClass: "dev-cluster-01-vsan", powerState: "PoweredOff" as const };
  const context = createReconcileContext(getPool(), createSimulator({ db: getPool(), speed: 0, failureRate: 0 }), readEngineConfig({ SKYLIGHT_SIM_SPEED: "0" }));
  const sessions: Record<string, Headers> = {};
  const as = async (username: string) => {
    request.headers = sessions[username] ??= await signInAs(username, PASSWORD);
  };
  /** The controllers, called as the engine calls them, until the object is gone. */
  async function reconcileAway(key: ObjectKey) {
    const reconcile = key.kind === "Namespace" ? reconcileNamespace : reconcileVirtualMachine;
    for (let pass = 0; pass < 10 && (await getObject(getPool(), key)); pass++) await reconcile(context, key);
    expect(await getObject(getPool(), key)).toBeNull();
  }
  /** An administrator's namespace, worked in and deleted: its tasks' and events' ids. */
  async function administratorsNamespaceDeleted(name: string) {
    const { taskId: created } = await createNamespace(actors.admin!, { name, cluster: "dev-cluster-01" });
    const { taskId: relabelled } = await setNamespaceMetadata(actors.admin!, { name, labels: { budget: "secret" }, annotations: {} });
    const { taskId: vmCreated } = await createVirtualMachine(actors.admin!, { namespace: name, name: "ledger-01", spec: SPEC });
    const { taskId: vmDeleted } = await deleteVirtualMachine(actors.admin!, { namespace: name, name: "ledger-01" });
    await reconcileAway({ kind: "VirtualMachine", namespace: name, name: "ledger-01" });
    const { taskId: deleted } = await deleteNamespace(actors.admin!, { name });
    await reconcileAway({ kind: "Namespace", namespace: "", name });
    const taskIds = [created, relabelled, vmCreated, vmDeleted, deleted];
    const { rows } = await getPool().query<{ id: string }>(`SELECT id::text FROM events WHERE object_namespace = $1 OR (object_kind = 'Namespace' AND object_name = $1)`, [name]);
    expect(rows.length).toBeGreaterThanOrEqual(taskIds.length);
    return { taskIds, eventIds: rows.map((row) => row.id) };
  }
  let old: { taskIds: string[]; eventIds: string[] };
  let newUid: string;

  beforeAll(async () => {
    old = await administratorsNamespaceDeleted(NAME);
    // dana (developers may self-serve on dev-cluster-01) takes the name.
    newUid = (await selfServiceNamespace(actors.dana!, { name: NAME, cluster: "dev-cluster-01" })).object.uid;
  });

  const at = (path: string) => new Request(`http://skylight.test${path}`);
  const sees = ["admin", "olivia"];

  for (const username of ["admin", "olivia", "dev", "dana", "eve"]) {
    const may = sees.includes(username);
    it(`${username} ${may ? "sees" : "sees none of"} the deleted ${NAME}'s tasks in Recent Tasks and on their pages`, async () => {
      await as(username);
      const recent = await import("@/app/api/tasks/route");
      const { tasks } = (await (await recent.GET(at("/api/tasks"), { params: Promise.resolve({}) })).json()) as { tasks: { id: string }[] };
      const listed = tasks.map((task) => task.id);
      const page = await import("@/app/api/tasks/[id]/route");
      const missing = await page.GET(at(`/api/tasks/${randomUUID()}`), { params: Promise.resolve({ id: randomUUID() }) });
      for (const id of old.taskIds) {
        expect(listed.includes(id)).toBe(may);
        const response = await page.GET(at(`/api/tasks/${id}`), { params: Promise.resolve({ id }) });
        if (may) expect(response.status).toBe(200);
        // Exactly as for a task that never was.
        else expect([response.status, await response.json()]).toEqual([missing.status, await missing.clone().json()]);
      }
    });
  }

  it("shows the new namespace's owner only its own tasks and events, in its Monitor tab and its events through the API", async () => {
    await as("dana");
    const params = { params: Promise.resolve({ uid: newUid }) };
    const tasks = await import("@/app/api/objects/[uid]/tasks/route");
    const events = await import("@/app/api/objects/[uid]/events/route");
    const taskPage = (await (await tasks.GET(at(`/api/objects/${newUid}/tasks`), params)).json()) as { rows: { description: string; initiator: string }[] };
    expect(taskPage.rows).toEqual([expect.objectContaining({ description: `Create namespace ${NAME}`, initiator: "dana" })]);
    const eventPage = (await (await events.GET(at(`/api/objects/${newUid}/events`), params)).json()) as { rows: { id: string; actor: string }[] };
    expect(eventPage.rows.map((event) => event.actor)).toEqual(["dana"]);
    expect(eventPage.rows.some((event) => old.eventIds.includes(event.id))).toBe(false);
    // Recent Tasks still lists her own task on it.
    const recent = await import("@/app/api/tasks/route");
    const { tasks: listed } = (await (await recent.GET(at("/api/tasks"), { params: Promise.resolve({}) })).json()) as { tasks: { description: string }[] };
    expect(listed.map((task) => task.description)).toContain(`Create namespace ${NAME}`);
  });

  it("lets administrators and operators read the whole history of the name in the Events view", async () => {
    await as("olivia");
    const events = await import("@/app/api/events/route");
    const ids: string[] = [];
    for (const object of [NAME, "ledger-01"]) {
      const page = (await (await events.GET(at(`/api/events?object=${object}`), { params: Promise.resolve({}) })).json()) as { rows: { id: string }[] };
      ids.push(...page.rows.map((event) => event.id));
    }
    for (const id of old.eventIds) expect(ids).toContain(id);
  });

  it("keeps a live stream from taking a namespace re-created under a name it knew for the one its reader may see", async () => {
    const name = "payroll";
    const mine = (await selfServiceNamespace(actors.dana!, { name, cluster: "dev-cluster-01" })).object;
    const filter = createNoticeFilter(actors.dana!, getPool(), () => 0);
    const notice = (uids: string[]) => ({ source: "resources" as const, kinds: ["VirtualMachine"], uids, ids: null, count: uids.length });
    expect(await filter.filter({ ...notice([mine.uid]), kinds: ["Namespace"] })).not.toBeNull();
    // Within the few seconds the stream trusts the namespaces it read, dana's payroll goes and an
    // administrator's payroll, with a VM, takes its name.
    await deleteNamespace(actors.admin!, { name });
    await reconcileAway({ kind: "Namespace", namespace: "", name });
    await createNamespace(actors.admin!, { name, cluster: "dev-cluster-01" });
    const { object: vm } = await createVirtualMachine(actors.admin!, { namespace: name, name: "salaries", spec: SPEC });
    expect(await filter.filter(notice([vm.uid]))).toBeNull();
  });
});
