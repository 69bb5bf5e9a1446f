// What the console shows of pods, Deployments and ReplicaSets, read from a real database: kubectl's
// STATUS, READY and RESTARTS in a namespace's and a host's pod lists and on the pod's page, a
// Deployment's ReplicaSets and pods, the navigator's pods under their host and namespace, and the
// Logs route and Delete action as a signed-in user reaches them (another namespace's pod is answered
// as one that does not exist; bad parameters are refused by name; a viewer cannot delete).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { actorForUser, EVERYTHING, readAccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { insertObject } from "@/lib/engine/object-store";
import { parseListParams, type ListName } from "@/lib/inventory/list-definitions";
import { readNavigatorChildren, readNavigatorPath } from "@/lib/inventory/navigator-reads";
import { readListPage } from "@/lib/inventory/object-lists";
import { readObjectView } from "@/lib/inventory/object-view";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "workload-password";
const HOST = "esx-01.boston.lab";
const running = (name: string, restartCount = 0) => ({ name, ready: true, restartCount, state: { running: { startedAt: "2026-12-06T10:00:00Z" } } });
const uidOf = async (kind: string, name: string, namespace = "") => (await prisma.resource.findUniqueOrThrow({ where: { kind_namespace_name: { kind, namespace, name } } })).uid;

async function pod(name: string, status: Record<string, unknown>, options: { namespace?: string; ownerUid?: string; containers?: string[]; nodeName?: string | null } = {}) {
  const containers = (options.containers ?? ["main"]).map((container) => ({ name: container, image: `registry.local/web-team/${container}:1` }));
  const object = await insertObject(getPool(), {
    apiVersion: "v1",
    kind: "Pod",
    namespace: options.namespace ?? "web-team",
    name,
    labels: { "skylight.io/cluster": "prod-cluster-01" },
    ownerReferences: options.ownerUid ? [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9f", uid: options.ownerUid, controller: true }] : [],
    spec: { ...(options.nodeName === null ? {} : { nodeName: options.nodeName ?? HOST }), containers },
    status,
  });
  return object.uid;
}

let deploymentUid = "";
let crashingUid = "";

beforeAll(async () => {
  await seedDemoInventory(prisma);
  for (const [username, role] of [["dev", "developer"], ["dana", "developer"]] as const) await createUser("system", { username, name: username, role, password: PASSWORD });
  await seedDemoAccess(prisma);
  const deployment = await insertObject(getPool(), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "web-team",
    name: "web",
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "web", image: "registry.local/web-team/busybox:1" }, { name: "log", image: "registry.local/web-team/tail:2" }] } } },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
  });
  deploymentUid = deployment.uid;
  const replicaSet = await insertObject(getPool(), {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    namespace: "web-team",
    name: "web-7d9f",
    ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: deployment.uid, controller: true }],
    spec: { replicas: 3, template: { spec: { containers: [{ name: "web", image: "registry.local/web-team/busybox:1" }] } } },
    status: { replicas: 3, readyReplicas: 2 },
  });
  await pod("web-7d9f-a", { phase: "Running", podIP: "10.244.1.5", containerStatuses: [running("main", 2)] }, { ownerUid: replicaSet.uid });
  crashingUid = await pod(
    "web-7d9f-b",
    {
      phase: "Running",
      containerStatuses: [
        running("sidecar"),
        { name: "main", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: "2026-12-06T10:05:00Z" } } },
      ],
    },
    { ownerUid: replicaSet.uid, containers: ["sidecar", "main"] },
  );
  await pod("batch-done", { phase: "Succeeded", containerStatuses: [{ name: "main", ready: false, restartCount: 0, state: { terminated: { reason: "Completed", exitCode: 0 } } }] });
  await pod("killed", { phase: "Failed", containerStatuses: [{ name: "main", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 9 } } }] });
  await pod("half-done", {
    phase: "Running",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "init", ready: false, state: { terminated: { reason: "Completed", exitCode: 0 } } }, running("main")],
  }, { containers: ["init", "main"] });
  await pod("waiting", { phase: "Pending" }, { nodeName: null });
  await pod("ml-pod", { phase: "Running", containerStatuses: [running("main")] }, { namespace: "ml-team", nodeName: "esx-10.seattle.lab" });
  await getPool().query(`UPDATE resources SET deletion_timestamp = now() WHERE kind = 'Pod' AND name = 'batch-done'`);
});

const page = async (list: ListName, scopeUid: string, access = EVERYTHING) => (await readListPage(list, parseListParams(list, {}), access, scopeUid))!;
const cells = (rows: { name: string; cells: Record<string, unknown> }[], ...columns: string[]) => rows.map((row) => [row.name, ...columns.map((column) => row.cells[column])]);

describe("pod and Deployment lists", () => {
  it("shows a namespace's pods as kubectl get pods does: STATUS, READY, RESTARTS and the host as a link", async () => {
    const { rows, total } = await page("pods", await uidOf("Namespace", "web-team"));
    expect(total).toBe(6);
    expect(cells(rows, "podStatus", "ready", "restarts", "node")).toEqual([
      ["batch-done", "Terminating", "0/1", 0, HOST],
      ["half-done", "Running", "1/2", 0, HOST],
      ["killed", "Signal:9", "0/1", 0, HOST],
      ["waiting", "Pending", "0/1", 0, null],
      ["web-7d9f-a", "Running", "1/1", 2, HOST],
      ["web-7d9f-b", "CrashLoopBackOff", "1/2", 4, HOST],
    ]);
    expect(rows.find((row) => row.name === "web-7d9f-a")).toMatchObject({ cells: { podIP: "10.244.1.5" }, links: { node: await uidOf("Host", HOST) } });
  });

  it("lists the pods a host runs, and a Deployment's ReplicaSets and the pods they keep", async () => {
    expect((await page("pods", await uidOf("Host", HOST))).rows.map((row) => row.name)).toEqual(["batch-done", "half-done", "killed", "web-7d9f-a", "web-7d9f-b"]);
    expect(cells((await page("deployments", await uidOf("Namespace", "web-team"))).rows, "ready", "upToDate", "available", "images")).toEqual([
      ["web", "2/3", 3, 2, "registry.local/web-team/busybox:1,registry.local/web-team/tail:2"],
    ]);
    expect(cells((await page("replicasets", deploymentUid)).rows, "desired", "current", "readyReplicas")).toEqual([["web-7d9f", 3, 3, 2]]);
    expect((await page("pods", deploymentUid)).rows.map((row) => row.name)).toEqual(["web-7d9f-a", "web-7d9f-b"]);
  });

  it("shows a developer only the pods of their namespaces", async () => {
    const dev = await actorForUser((await prisma.user.findFirstOrThrow({ where: { username: "dev" } })).id);
    const access = await readAccessScope(dev!);
    expect(await readListPage("pods", parseListParams("pods", {}), access, await uidOf("Namespace", "ml-team"))).toBeNull();
    expect((await page("pods", await uidOf("Host", "esx-10.seattle.lab"), access))).toBeNull();
  });

  it("gives the pod's page kubectl's STATUS and its host, and the namespace's Summary its pods and Deployments", async () => {
    const view = await readObjectView(crashingUid);
    expect(view).toMatchObject({ kind: "Pod", podStatus: "CrashLoopBackOff", related: { host: { kind: "Host", name: HOST }, namespace: { name: "web-team" } } });
    expect((await readObjectView(await uidOf("Namespace", "web-team")))?.stats).toMatchObject({ pods: 6, podsRunning: 3, deployments: 1 });
  });
});

describe("navigator", () => {
  it("shows a host's pods after its VMs, a namespace's after its VMs, and finds a pod's place in each view", async () => {
    const host = await uidOf("Host", HOST);
    const underHost = (await readNavigatorChildren("hosts-and-clusters", host, EVERYTHING))!.nodes;
    expect(underHost.filter((node) => node.kind === "Pod").map((node) => node.name)).toEqual(["batch-done", "half-done", "killed", "web-7d9f-a", "web-7d9f-b"]);
    expect(underHost.findIndex((node) => node.kind === "Pod")).toBeGreaterThan(underHost.findLastIndex((node) => node.kind === "VirtualMachine"));
    const namespace = await uidOf("Namespace", "web-team");
    expect((await readNavigatorChildren("namespaces", namespace, EVERYTHING))!.nodes.filter((node) => node.kind === "Pod")).toHaveLength(6);
    expect(await readNavigatorPath("hosts-and-clusters", crashingUid, EVERYTHING)).toEqual([await uidOf("Datacenter", "dc-boston"), await uidOf("Cluster", "prod-cluster-01"), host]);
    expect((await readNavigatorPath("namespaces", crashingUid, EVERYTHING))?.at(-1)).toBe(namespace);
  });
});

describe("Logs route and Delete action", () => {
  const at = (path: string) => new Request(`http://skylight.test${path}`);
  const logOf = async (uid: string, query = "") => {
    const { GET } = await import("@/app/api/objects/[uid]/log/route");
    const response = await GET(at(`/api/objects/${uid}/log${query}`), { params: Promise.resolve({ uid }) });
    return [response.status, response.headers.get("content-type")?.startsWith("text/plain") ? await response.text() : ((await response.json()) as { error: { message: string } }).error.message];
  };

  it("reads a container's log, refuses bad parameters by name, and answers another namespace's pod as a missing one", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    const [status, text] = await logOf(crashingUid, "?container=main");
    expect(status).toBe(200);
    expect(text).toContain(`simulated container main started from registry.local/web-team/main:1 on simulated host ${HOST}`);
    expect(await logOf(crashingUid)).toEqual([400, "a container name must be specified for pod web-7d9f-b, choose one of: [sidecar main]"]);
    expect(await logOf(crashingUid, "?container=../../etc")).toEqual([422, "container must be a container's name: lowercase letters, digits and '-', at most 63 characters"]);
    expect(await logOf(crashingUid, "?container=sidecar&previous=true")).toEqual([400, 'previous terminated container "sidecar" in pod "web-7d9f-b" not found']);
    expect(await logOf(crashingUid, "?container=main&previous=yes")).toEqual([422, "previous must be true or false"]);
    const foreign = await uidOf("Pod", "ml-pod", "ml-team");
    expect(await logOf(foreign)).toEqual(await logOf(randomUUID()));
    expect((await logOf(foreign))[0]).toBe(404);
  });

  it("lets a namespace's editor delete a pod and refuses its viewer, changing nothing", async () => {
    const { deletePod } = await import("@/lib/actions/workloads/delete-pod");
    const target = await prisma.resource.findFirstOrThrow({ where: { kind: "Pod", namespace: "web-team", name: "killed" } });
    request.headers = await signInAs("dana", PASSWORD);
    const refused = await deletePod({ namespace: "web-team", name: "killed", expectedResourceVersion: String(target.resourceVersion) });
    expect(refused?.serverError?.message).toMatch(/web-team/);
    expect((await prisma.resource.findFirstOrThrow({ where: { uid: target.uid } })).deletionTimestamp).toBeNull();
    request.headers = await signInAs("dev", PASSWORD);
    const done = await deletePod({ namespace: "web-team", name: "killed", expectedResourceVersion: String(target.resourceVersion) });
    expect(done?.data).toMatchObject({ status: "saved" });
    expect((await prisma.resource.findFirst({ where: { uid: target.uid } }))?.deletionTimestamp ?? "gone").not.toBeNull();
    const task = await getPool().query(`SELECT description FROM tasks WHERE target_uid = $1`, [target.uid]);
    expect(task.rows).toEqual([{ description: "Delete pod killed" }]);
  });
});

describe("VM list search", () => {
  it("finds a VM by part of its name or of its IPv4 address, and a term no address can hold only by name", async () => {
    const vm = (name: string, ip: string) =>
      insertObject(getPool(), { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "web-team", name, spec: {}, status: { network: { primaryIP4: ip } } });
    await vm("ip-probe-one", "10.77.3.41");
    await vm("ip-probe-two", "10.78.9.12");
    const names = async (q: string) => (await readListPage("vms", parseListParams("vms", { q }), EVERYTHING))!.rows.map((row) => row.name);
    expect(await names("77.3")).toEqual(["ip-probe-one"]);
    expect(await names("10.77.3.41")).toEqual(["ip-probe-one"]);
    expect(await names("ip-probe")).toEqual(["ip-probe-one", "ip-probe-two"]);
    expect(await names("probe-tw")).toEqual(["ip-probe-two"]);
  });
});
