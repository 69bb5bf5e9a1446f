// The example operator (examples/database-operator) end to end against a real Skylight API with
// the real kubectl: an administrator installs its CRD; two operator processes, each with its
// service account's kubeconfig, elect one leader over a Lease; a developer's PostgresInstance gets a member VM owned by it, powered on by the engine,
// and a status with its endpoint; scaling adds a member; the leader killed with SIGKILL hands over
// to the other process, which scales down; a size that would exceed the namespace's quota leaves
// the instance Failed with QuotaExceeded in its status and events; deleting the instance deletes
// its VMs through the garbage collector.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { createServiceAccount } from "@/lib/engine/operations/service-account-operations";
import { issueServiceAccountKubeconfig } from "@/lib/kube/service-account-kubeconfig";
import { CLUSTER, DATASTORE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const TEAM = "databases";
const EXAMPLE = path.resolve("examples/database-operator");

let kube: KubeHarness;
let operatorKubeconfig: string;
const operators = new Map<string, { child: ChildProcess; output: string[] }>();

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  // The operator's own identity: a service account of the namespace with its edit role, and a kubeconfig holding its token.
  const owner = { kind: "User" as const, name: "dev", role: "owner" as const };
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, limits: { cpu: 6 }, permissions: [owner] }, kube.pool);
  await createServiceAccount(ADMIN, { namespace: TEAM, name: "database-operator", labels: {}, annotations: {}, fields: {} }, kube.pool);
  const { rows } = await kube.pool.query<{ resource_version: string }>(`SELECT resource_version::text FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM]);
  await setNamespacePermissions(
    ADMIN,
    { name: TEAM, permissions: [owner, { kind: "ServiceAccount", name: "database-operator", role: "edit" }], expectedResourceVersion: rows[0]!.resource_version },
    kube.pool,
  );
  operatorKubeconfig = path.join(kube.scratchDir, "database-operator.kubeconfig");
  const issued = await issueServiceAccountKubeconfig(kube.pool, { namespace: TEAM, name: "database-operator" }, { server: `https://127.0.0.1:${kube.server.port}`, seconds: 3600 });
  writeFileSync(operatorKubeconfig, issued.kubeconfig);
  kube.startEngine();
});
afterAll(async () => {
  for (const { child } of operators.values()) child.kill("SIGKILL");
  await kube?.stopKube();
});

function startOperator(identity: string) {
  const output: string[] = [];
  // Node itself with tsx's loader, not tsx's CLI, which would run the operator in a child a SIGKILL never reaches.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(EXAMPLE, "src/main.ts"), "--kubeconfig", operatorKubeconfig, "--namespace", TEAM, "--storage-class", DATASTORE, "--identity", identity, "--lease-seconds", "2"], {
    cwd: EXAMPLE,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  operators.set(identity, { child, output });
}

const leads = (identity: string) => operators.get(identity)!.output.some((line) => line.endsWith(`leading as ${identity}`));

interface Instance {
  metadata: { uid: string; generation: number };
  status?: { phase?: string; replicas?: number; readyReplicas?: number; endpoint?: string; members?: string[]; observedGeneration?: number; conditions?: { type: string; status: string; reason: string; message: string }[] };
}

async function instance(name: string): Promise<Instance> {
  const { stdout, stderr } = await kube.kubectl(["get", "pgi", name, "-n", TEAM, "-o", "json"], { as: "developer" });
  expect(stderr).toBe("");
  return JSON.parse(stdout) as Instance;
}

const vmNames = async () => {
  const { stdout } = await kube.kubectl(["get", "vm", "-n", TEAM, "-l", "databases.example.com/instance", "-o", "jsonpath={.items[*].metadata.name}"], { as: "developer" });
  return stdout.split(" ").filter(Boolean).sort();
};

describe("the database operator", () => {
  test("an instance's VMs, status, scaling, failover, quota and deletion", { timeout: 180_000 }, async () => {
    const crd = await kube.kubectl(["apply", "-f", path.join(EXAMPLE, "manifests/crd.yaml")], { as: "administrator" });
    expect(crd.stderr).toBe("");
    await kube.kubectl(["wait", "--for=condition=Established", "crd/postgresinstances.databases.example.com", "--timeout=30s"], { as: "administrator" });

    startOperator("operator-a");
    await waitFor(async () => leads("operator-a"), "operator-a to lead", 30_000);
    startOperator("operator-b");
    await waitFor(async () => operators.get("operator-b")!.output.some((line) => line.endsWith("leader is operator-a")), "operator-b to follow operator-a", 30_000);

    const applied = await kube.kubectl(["apply", "-n", TEAM, "-f", path.join(EXAMPLE, "manifests/sample.yaml")], { as: "developer" });
    expect(applied.stderr).toBe("");
    const ready = await waitFor(async () => {
      const current = await instance("orders-db");
      return current.status?.phase === "Running" && current;
    }, "orders-db to run", 60_000);
    expect(ready.status).toMatchObject({ replicas: 1, readyReplicas: 1, members: ["orders-db-0"], observedGeneration: ready.metadata.generation });
    expect(ready.status?.endpoint).toMatch(/^\d+\.\d+\.\d+\.\d+:5432$/);
    expect(ready.status?.conditions).toEqual([expect.objectContaining({ type: "Ready", status: "True", reason: "MembersReady" })]);

    // The member is owned by the instance, and deployed as its spec says.
    const vm = JSON.parse((await kube.kubectl(["get", "vm", "orders-db-0", "-n", TEAM, "-o", "json"], { as: "developer" })).stdout) as {
      metadata: { ownerReferences: { kind: string; name: string; uid: string; controller: boolean; blockOwnerDeletion: boolean }[] };
      spec: { className: string; advanced: { bootDiskCapacity: string } };
    };
    expect(vm.metadata.ownerReferences).toContainEqual(expect.objectContaining({ kind: "PostgresInstance", name: "orders-db", uid: ready.metadata.uid, controller: true, blockOwnerDeletion: true }));
    expect(vm.spec).toMatchObject({ className: "best-effort-small", advanced: { bootDiskCapacity: "40Gi" } });

    // kubectl's table shows the CRD's printer columns.
    const table = await kube.kubectl(["get", "pgi", "-n", TEAM], { as: "developer" });
    expect(table.stdout).toMatch(/^NAME\s+SIZE\s+VERSION\s+REPLICAS\s+READY\s+PHASE\s+ENDPOINT\s+AGE/);
    expect(table.stdout).toMatch(/orders-db\s+small\s+16\s+1\s+1\s+Running\s+\d+\.\d+\.\d+\.\d+:5432/);

    // Scaling up through the scale subresource adds a member.
    expect((await kube.kubectl(["scale", "pgi", "orders-db", "-n", TEAM, "--replicas=2"], { as: "developer" })).stderr).toBe("");
    await waitFor(async () => (await instance("orders-db")).status?.readyReplicas === 2, "two ready members", 60_000);
    expect(await vmNames()).toEqual(["orders-db-0", "orders-db-1"]);

    // The leader dies without a word; the follower takes over once the Lease runs out, and scales down.
    operators.get("operator-a")!.child.kill("SIGKILL");
    await waitFor(async () => leads("operator-b"), "operator-b to take over", 30_000);
    expect((await kube.kubectl(["scale", "pgi", "orders-db", "-n", TEAM, "--replicas=1"], { as: "developer" })).stderr).toBe("");
    await waitFor(async () => (await vmNames()).join() === "orders-db-0", "orders-db-1 to go", 60_000);

    // A large instance (4 vCPUs beside orders-db's 2) does not fit the namespace's 6: Failed, in Skylight's words.
    const large = `apiVersion: databases.example.com/v1alpha1\nkind: PostgresInstance\nmetadata:\n  name: big-db\nspec:\n  size: large\n  replicas: 2\n`;
    expect((await kube.kubectl(["apply", "-n", TEAM, "-f", "-"], { as: "developer", input: large })).stderr).toBe("");
    const refused = await waitFor(async () => {
      const current = await instance("big-db");
      return current.status?.phase === "Failed" && current;
    }, "big-db to fail on quota", 60_000);
    expect(refused.status?.conditions?.[0]).toMatchObject({ type: "Ready", status: "False", reason: "QuotaExceeded" });
    expect(refused.status?.conditions?.[0]?.message).toContain("exceeded quota");
    const warnings = await kube.kubectl(["events", "-n", TEAM, "--for", "postgresinstance/big-db", "--types=Warning"], { as: "developer" });
    expect(warnings.stdout).toContain("QuotaExceeded");

    // A downgrade is refused by the CRD's CEL rule, and changes nothing.
    const downgrade = await kube.kubectl(["patch", "pgi", "orders-db", "-n", TEAM, "--type=merge", "-p", '{"spec":{"version":"15"}}'], { as: "developer" });
    expect(downgrade.stderr).toContain("PostgreSQL cannot be downgraded in place");

    const events = await kube.kubectl(["events", "-n", TEAM, "--for", "postgresinstance/orders-db"], { as: "developer" });
    expect(events.stdout).toMatch(/CreatedMember\s+.*Created virtual machine orders-db-0/);

    // Deleting the instances deletes their VMs.
    expect((await kube.kubectl(["delete", "pgi", "orders-db", "big-db", "-n", TEAM, "--cascade=foreground"], { as: "developer", timeoutMs: 60_000 })).stderr).toBe("");
    await waitFor(async () => (await vmNames()).length === 0, "the members to go", 60_000);
  });
});
