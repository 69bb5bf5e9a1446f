// apps/v1 Deployments and ReplicaSets through the real kubectl on a simulated inventory (pods run in
// the simulator): kubectl create deployment and rollout status, get with kubectl's columns, scale
// to 5 Running pods, set image rolling to a new ReplicaSet with rollout history, a deployment over
// the namespace's CPU limit reporting ReplicaFailure with the quota message, bad specs refused by
// field, a view-only developer refused a scale, delete taking the ReplicaSets and pods along, and a
// namespace's deletion taking its workloads.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER, NAMESPACE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const LIMITED = "limited";
const VIEW_ONLY = "view-only";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6550 });
  await createNamespace(ADMIN, { name: LIMITED, cluster: CLUSTER, limits: { cpu: 2, memoryMiB: 4096 }, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  await createNamespace(ADMIN, { name: VIEW_ONLY, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

interface PodRow {
  name: string;
  image: string;
  phase: string;
  owner: string;
}

/** The namespace's pods that are not being deleted, with their image and controlling owner (read over HTTP: kubectl's start-up is the slow part of this file). */
async function pods(namespace = NAMESPACE): Promise<PodRow[]> {
  const list = (await kube.request("GET", `/api/v1/namespaces/${namespace}/pods`)).json() as unknown as { items: { metadata: { name: string; deletionTimestamp?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] }; spec: { containers: { image: string }[] }; status: { phase: string } }[] };
  return list.items
    .filter((pod) => !pod.metadata.deletionTimestamp)
    .map((pod) => ({ name: pod.metadata.name, image: pod.spec.containers[0]!.image, phase: pod.status.phase, owner: pod.metadata.ownerReferences?.find((owner) => owner.controller)?.name ?? "" }));
}

/** An object as the API serves it, read over HTTP. */
const read = async <T>(path: string) => (await kube.request("GET", path)).json() as unknown as T;

const rolledOut = async (name: string, namespace = NAMESPACE) => kube.kubectl(["rollout", "status", `deployment/${name}`, "-n", namespace, "--timeout=20s"]);

describe("deployments through kubectl", () => {
  test("kubectl create deployment rolls out 3 Running pods of one ReplicaSet; get prints kubectl's columns", async () => {
    const created = await kube.kubectl(["create", "deployment", "web", "--image=busybox:1", "--replicas=3", "-n", NAMESPACE, "--", "sleep", "3600"]);
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("deployment.apps/web created");

    const status = await rolledOut("web");
    expect(status.stderr).toBe("");
    expect(status.stdout).toContain('deployment "web" successfully rolled out');

    const running = await pods();
    expect(running).toHaveLength(3);
    const replicaSet = running[0]!.owner;
    expect(replicaSet).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    for (const pod of running) {
      expect(pod).toMatchObject({ image: "busybox:1", phase: "Running", owner: replicaSet });
      expect(pod.name).toMatch(new RegExp(`^${replicaSet}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    }

    const wide = await kube.kubectl(["get", "deploy", "-n", NAMESPACE, "-o", "wide"]);
    const [header, row] = wide.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]);
    expect(row).toMatch(/^web\s+3\/3\s+3\s+3\s+\d+s\s+busybox\s+busybox:1\s+app=web$/);
    const sets = await kube.kubectl(["get", "rs", "-n", NAMESPACE]);
    expect(sets.stdout.trim().split("\n")[0]!.split(/\s{2,}/)).toEqual(["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    expect(sets.stdout).toMatch(new RegExp(`\\n${replicaSet}\\s+3\\s+3\\s+3\\s+\\d+s`));

    const deployment = await read<{ spec: Record<string, unknown>; status: { conditions: { type: string; status: string; reason: string }[] } }>(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`);
    expect(deployment.spec).toMatchObject({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } });
    expect(deployment.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "Available", status: "True" }), expect.objectContaining({ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" })]),
    );
    const { rows } = await kube.pool.query(`SELECT state FROM tasks WHERE operation = 'Deployment.create' AND target_name = 'web'`);
    expect(rows).toEqual([{ state: "success" }]);
  });

  test("kubectl scale deployment web --replicas=5 gives 5 Running pods, as a task 'Scale deployment web to 5'", async () => {
    const scaled = await kube.kubectl(["scale", "deployment", "web", "--replicas=5", "-n", NAMESPACE]);
    expect(scaled.stderr).toBe("");
    expect(scaled.stdout.trim()).toBe("deployment.apps/web scaled");
    expect((await rolledOut("web")).stdout).toContain("successfully rolled out");
    const running = await pods();
    expect(running.filter((pod) => pod.phase === "Running")).toHaveLength(5);
    const { rows } = await kube.pool.query(`SELECT description, initiator, state FROM tasks WHERE operation = 'Deployment.scale' AND target_name = 'web'`);
    expect(rows).toEqual([{ description: "Scale deployment web to 5", initiator: "olivia", state: "success" }]);
  });

  test("kubectl set image rolls out a new ReplicaSet, the old one scaled to 0, and rollout history lists both revisions", async () => {
    const before = (await pods())[0]!.owner;
    const set = await kube.kubectl(["set", "image", "deployment/web", "busybox=busybox:2", "-n", NAMESPACE]);
    expect(set.stderr).toBe("");
    expect((await rolledOut("web")).stdout).toContain('deployment "web" successfully rolled out');

    const running = await pods();
    expect(running).toHaveLength(5);
    const after = running[0]!.owner;
    expect(after).not.toBe(before);
    expect(running.every((pod) => pod.image === "busybox:2" && pod.owner === after && pod.phase === "Running")).toBe(true);

    const sets = await read<{ items: { metadata: { name: string; annotations: Record<string, string> }; spec: { replicas: number } }[] }>(`/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`);
    const byName = new Map(sets.items.map((item) => [item.metadata.name, item]));
    expect(byName.get(before)).toMatchObject({ spec: { replicas: 0 }, metadata: { annotations: { "deployment.kubernetes.io/revision": "1" } } });
    expect(byName.get(after)).toMatchObject({ spec: { replicas: 5 }, metadata: { annotations: { "deployment.kubernetes.io/revision": "2" } } });

    const history = await kube.kubectl(["rollout", "history", "deployment/web", "-n", NAMESPACE]);
    expect(history.stderr).toBe("");
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);

    // kubectl rollout undo brings the first ReplicaSet back as revision 3.
    const undone = await kube.kubectl(["rollout", "undo", "deployment/web", "-n", NAMESPACE]);
    expect(undone.stderr).toBe("");
    expect((await rolledOut("web")).stdout).toContain("successfully rolled out");
    expect((await pods()).every((pod) => pod.image === "busybox:1" && pod.owner === before)).toBe(true);
    const undoneHistory = await kube.kubectl(["rollout", "history", "deployment/web", "-n", NAMESPACE]);
    expect(undoneHistory.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  test("a Recreate deployment stops every old pod before it starts a new one", async () => {
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
  namespace: ${NAMESPACE}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector:
    matchLabels: {app: batch}
  template:
    metadata:
      labels: {app: batch}
    spec:
      containers:
      - {name: main, image: "busybox:1", args: [sleep, "3600"]}
`;
    expect((await kube.kubectl(["apply", "-f", "-"], { input: manifest })).stderr).toBe("");
    expect((await rolledOut("batch")).stdout).toContain("successfully rolled out");
    expect((await kube.kubectl(["set", "image", "deployment/batch", "main=busybox:2", "-n", NAMESPACE])).stderr).toBe("");
    expect((await rolledOut("batch")).stdout).toContain("successfully rolled out");
    const batch = (await pods()).filter((pod) => pod.owner.startsWith("batch-"));
    expect(batch.map((pod) => pod.image)).toEqual(["busybox:2", "busybox:2"]);
    // Every old pod's delete came before the first new pod's create.
    const { rows } = await kube.pool.query<{ operation: string; name: string }>(
      `SELECT operation, target_name AS name FROM tasks WHERE target_kind = 'Pod' AND target_name LIKE 'batch-%' AND initiator = 'replicaset-controller' ORDER BY created_version`,
    );
    const lastDelete = rows.findLastIndex((row) => row.operation === "Pod.delete");
    const firstNew = rows.findIndex((row) => row.operation === "Pod.create" && row.name.startsWith(`${batch[0]!.owner}-`));
    expect(rows.filter((row) => row.operation === "Pod.delete")).toHaveLength(2);
    expect(lastDelete).toBeLessThan(firstNew);
  });

  test("server-side apply creates a deployment and applies a new replica count as a scale", async () => {
    const manifest = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ssa, namespace: ${NAMESPACE}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ssa}}
  template:
    metadata: {labels: {app: ssa}}
    spec:
      containers: [{name: main, image: "busybox:1"}]
`;
    for (const replicas of [1, 2]) {
      const applied = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest(replicas) });
      expect(applied.stderr).toBe("");
    }
    expect((await rolledOut("ssa")).stdout).toContain("successfully rolled out");
    expect((await pods()).filter((pod) => pod.owner.startsWith("ssa-"))).toHaveLength(2);
    const { rows } = await kube.pool.query(`SELECT description FROM tasks WHERE target_kind = 'Deployment' AND target_name = 'ssa' ORDER BY created_version`);
    expect(rows).toEqual([{ description: "Create deployment ssa" }, { description: "Scale deployment ssa to 2" }]);
  });

  test("a deployment over the namespace's CPU limit reports ReplicaFailure with the quota message, without a storm of creates", async () => {
    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
  namespace: ${LIMITED}
spec:
  replicas: 3
  selector:
    matchLabels: {app: big}
  template:
    metadata:
      labels: {app: big}
    spec:
      containers:
      - name: main
        image: busybox:1
        resources:
          requests: {cpu: "1", memory: 256Mi}
`;
    const applied = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest });
    expect(applied.stderr).toBe("");
    const quota = "exceeded quota: limited, requested: cpu=1, used: cpu=2, limited: cpu=2: CPU limit of limited is 2 vCPUs; 2 vCPUs are in use and the pod asks for 1 vCPU.";
    await waitFor(async () => {
      const deployment = await read<{ status: { conditions?: { type: string; message: string }[] } }>(`/apis/apps/v1/namespaces/${LIMITED}/deployments/big`);
      return deployment.status.conditions?.find((condition) => condition.type === "ReplicaFailure")?.message.includes(quota);
    }, "the deployment's ReplicaFailure condition");
    const replicaSets = await read<{ items: { status: { conditions: { type: string; status: string; reason: string; message: string }[] } }[] }>(`/apis/apps/v1/namespaces/${LIMITED}/replicasets`);
    expect(replicaSets.items[0]!.status.conditions).toEqual([expect.objectContaining({ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: expect.stringMatching(new RegExp(`^pods "big-\\w+-\\w{5}" is forbidden: ${quota.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`)) })]);
    expect(await pods(LIMITED)).toHaveLength(2);
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS refused FROM events WHERE reason = 'FailedCreate' AND object_namespace = $1`, [LIMITED]);
    expect(rows[0].refused).toBe(1);
  });

  test("bad specs are refused naming the field, and nothing is created", async () => {
    const body = (spec: Record<string, unknown>) =>
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "bad" },
        spec: { replicas: 1, selector: { matchLabels: { app: "bad" } }, template: { metadata: { labels: { app: "bad" } }, spec: { containers: [{ name: "main", image: "busybox:1" }] } }, ...spec },
      });
    const cases: [Record<string, unknown>, string][] = [
      [{ replicas: -1 }, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
      [{ selector: { matchLabels: { app: "other" } } }, 'spec.template.metadata.labels: Invalid value: {"app":"bad"}: `selector` does not match template `labels`'],
      [{ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "lots" } } }, `spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string must be a numeric string followed by an ending '%'`],
      [{ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } } }, 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
      [{ strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } }, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
      [{ replicas: 100000 }, "spec.replicas: Invalid value: 100000: must be less than or equal to 500"],
    ];
    for (const [spec, message] of cases) {
      const response = await kube.request("POST", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, { body: body(spec) });
      expect(response.status, message).toBe(422);
      expect(response.json().message).toContain(`Deployment.apps "bad" is invalid: ${message}`);
    }
    const missing = await kube.kubectl(["get", "deployment", "bad", "-n", NAMESPACE]);
    expect(missing.stderr).toContain('deployments.apps "bad" not found');

    // The scale subresource holds to the same bounds.
    for (const [replicas, message] of [[100000, "spec.replicas: Invalid value: 100000: must be less than or equal to 500"], ["lots", 'spec.replicas: Invalid value: "lots": must be an integer']] as const) {
      const response = await kube.request("PATCH", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web/scale`, { body: JSON.stringify({ spec: { replicas } }), contentType: "application/merge-patch+json" });
      expect(response.status).toBe(422);
      expect(response.json().message).toContain(message);
    }
    expect((await read<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web/scale`)).spec.replicas).toBe(5);
  });

  test("kubectl explain describes a deployment's strategy from Skylight's OpenAPI", async () => {
    const explained = await kube.kubectl(["explain", "deployment.spec.strategy"]);
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1/);
    expect(explained.stdout).toMatch(/rollingUpdate\s+<Object>/);
  });

  test("a developer with the view role reads deployments but cannot scale one", async () => {
    const created = await kube.kubectl(["create", "deployment", "shown", "--image=busybox:1", "-n", VIEW_ONLY]);
    expect(created.stderr).toBe("");
    const listed = await kube.kubectl(["get", "deployments", "-n", VIEW_ONLY, "--no-headers"], { as: "developer" });
    expect(listed.stdout).toMatch(/^shown\s+/);
    const scaled = await kube.kubectl(["scale", "deployment", "shown", "--replicas=4", "-n", VIEW_ONLY], { as: "developer" });
    expect(scaled.code).not.toBe(0);
    expect(scaled.stderr).toContain('User "dev" cannot patch resource "deployments" in API group "apps" in the namespace "view-only": You can view namespace view-only but not change it: operating its deployments needs the edit or owner role.');
    expect((await read<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/${VIEW_ONLY}/deployments/shown`)).spec.replicas).toBe(1);
  });

  test("kubectl delete deployment takes its ReplicaSets and their pods along", async () => {
    const deleted = await kube.kubectl(["delete", "deployment", "web", "-n", NAMESPACE, "--timeout=20s"]);
    expect(deleted.stderr).toBe("");
    expect(deleted.stdout.trim()).toBe('deployment.apps "web" deleted');
    const ofWeb = (name: string) => name.startsWith("web-");
    await waitFor(
      async () =>
        !(await read<{ items: { metadata: { name: string } }[] }>(`/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`)).items.some((item) => ofWeb(item.metadata.name)) &&
        !(await pods()).some((pod) => ofWeb(pod.owner)),
      "web's ReplicaSets and pods to go",
    );
    // The other deployment in the namespace keeps its pods.
    expect((await pods()).filter((pod) => pod.owner.startsWith("batch-"))).toHaveLength(2);
  });

  test("deleting a namespace deletes its deployments, replica sets and pods, and then the namespace goes", async () => {
    await createNamespace(ADMIN, { name: "doomed", cluster: CLUSTER }, kube.pool);
    expect((await kube.kubectl(["create", "deployment", "gone", "--image=busybox:1", "--replicas=2", "-n", "doomed"])).stderr).toBe("");
    expect((await rolledOut("gone", "doomed")).stdout).toContain("successfully rolled out");
    const deleted = await kube.kubectl(["delete", "namespace", "doomed", "--timeout=20s"], { as: "administrator" });
    expect(deleted.stderr).toBe("");
    const { rows } = await kube.pool.query(`SELECT kind, name FROM resources WHERE namespace = 'doomed' OR (kind = 'Namespace' AND name = 'doomed')`);
    expect(rows).toEqual([]);
  });
});
