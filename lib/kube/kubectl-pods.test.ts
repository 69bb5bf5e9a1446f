// Pods through the real kubectl on a simulated inventory: kubectl run becomes Running on a host,
// get -o wide, -o yaml with kube's defaults, top pod, explain, an image update and a refused change
// of anything else, bad input, delete; the namespace's limits (a pod over the CPU limit, a pod without requests);
// a developer with the view role only; and the scheduler's Unschedulable reason.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER, NAMESPACE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const LIMITED = "limited";
const VIEW_ONLY = "view-only";
const DEV_SPACE = "dev-space";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6571 });
  await createNamespace(ADMIN, { name: LIMITED, cluster: CLUSTER, limits: { cpu: 2, memoryMiB: 4096 }, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  await createNamespace(ADMIN, { name: DEV_SPACE, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  await createNamespace(ADMIN, { name: VIEW_ONLY, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
  // Simulated hosts with addresses, as the demo's have: a pod's hostIP is its host's.
  await kube.pool.query(`UPDATE resources SET status = status || jsonb_build_object('managementIP', '10.20.0.' || substring(name from 'esx-(\\d+)')) WHERE kind = 'Host'`);
  kube.startEngine();
  await waitFor(async () => {
    const { rows } = await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Node' AND status->'addresses' @> '[{"type":"InternalIP"}]'`);
    return rows.length === 3;
  }, "the hosts' Nodes to show their addresses");
});
afterAll(async () => kube?.stopKube());

async function podJson(name: string, namespace = NAMESPACE) {
  const result = await kube.kubectl(["get", "pod", name, "-n", namespace, "-o", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { spec: Record<string, unknown> & { containers: Record<string, unknown>[]; nodeName?: string }; status: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
}

const podManifest = (name: string, namespace: string, resources: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  containers:
  - name: main
    image: busybox:1
    args: ["sleep", "3600"]
${resources}`;

describe("pods through kubectl", () => {
  test("kubectl run becomes Running on a host, shows in get -o wide and -o yaml with kube's defaults, and in kubectl top pod", async () => {
    const run = await kube.kubectl(["run", "web", "--image=busybox:1", "-n", NAMESPACE, "--", "sleep", "3600"]);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("pod/web created");

    const waited = await kube.kubectl(["wait", "pod/web", "-n", NAMESPACE, "--for=condition=Ready", "--timeout=30s"]);
    expect(waited.stdout).toContain("condition met");

    const wide = await kube.kubectl(["get", "pods", "-n", NAMESPACE, "-o", "wide"]);
    const [header, row] = wide.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    expect(row).toMatch(/^web\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.\d+\.\d+\s+esx-\d\.test\s+<none>\s+<none>$/);

    const pod = await podJson("web");
    expect(pod.spec).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, schedulerName: "default-scheduler" });
    expect(pod.spec.containers[0]).toMatchObject({ name: "web", image: "busybox:1", args: ["sleep", "3600"], imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" });
    expect(pod.status).toMatchObject({ phase: "Running", qosClass: "BestEffort", containerStatuses: [{ name: "web", ready: true, restartCount: 0, state: { running: {} } }] });
    expect(pod.status.hostIP).toBe(`10.20.0.${/esx-(\d+)/.exec(pod.spec.nodeName!)![1]}`);
    expect(pod.status.conditions!.filter((condition) => condition.status === "True").map((condition) => condition.type).sort()).toEqual(["ContainersReady", "Initialized", "PodReadyToStartContainers", "PodScheduled", "Ready"]);

    // The task in Recent Tasks finished once the pod ran.
    const { rows } = await kube.pool.query(`SELECT state, initiator FROM tasks WHERE operation = 'Pod.create' AND target_name = 'web'`);
    expect(rows).toEqual([{ state: "success", initiator: "olivia" }]);

    const described = await kube.kubectl(["describe", "pod", "web", "-n", NAMESPACE]);
    expect(described.stderr).toBe("");
    expect(described.stdout).toMatch(/Status:\s+Running/);
    expect(described.stdout).toMatch(new RegExp(`Node:\\s+${pod.spec.nodeName}/${pod.status.hostIP}`));
    expect(described.stdout).toMatch(/Normal\s+Scheduled\s+\S+\s+.*Successfully assigned apps\/web to esx-\d\.test/);

    const top = await kube.kubectl(["top", "pod", "-n", NAMESPACE]);
    expect(top.stderr).toBe("");
    const [topHeader, topRow] = top.stdout.trim().split("\n");
    expect(topHeader!.trim().split(/\s+/)).toEqual(["NAME", "CPU(cores)", "MEMORY(bytes)"]);
    expect(topRow).toMatch(/^web\s+\d+m\s+\d+Mi$/);
  });

  test("an image may change (strategic merge by container name); anything else is refused in kube's words", async () => {
    const set = await kube.kubectl(["set", "image", "pod/web", "web=busybox:2", "-n", NAMESPACE]);
    expect(set.stderr).toBe("");
    await waitFor(async () => ((await podJson("web")).status.containerStatuses as { image: string }[] | undefined)?.[0]?.image === "busybox:2", "the container to run busybox:2");
    const pod = await podJson("web");
    expect(pod.spec.containers[0]).toMatchObject({ name: "web", image: "busybox:2", args: ["sleep", "3600"] });

    const refused = await kube.kubectl(["patch", "pod", "web", "-n", NAMESPACE, "-p", '{"spec":{"restartPolicy":"Never"}}']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`');
    expect((await podJson("web")).spec.restartPolicy).toBe("Always");
  });

  test("kubectl explain describes a pod's containers from Skylight's OpenAPI", async () => {
    const explained = await kube.kubectl(["explain", "pod.spec.containers"]);
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toMatch(/KIND:\s+Pod\nVERSION:\s+v1/);
    expect(explained.stdout).toMatch(/image\s+<string>\n\s+The image to run/);
    expect(explained.stdout).toMatch(/resources\s+<Object>/);
  });

  test("bad input is refused naming the field, and nothing is created", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "no-image" }, spec: { containers: [{ name: "main" }] } });
    const response = await kube.request("POST", `/api/v1/namespaces/${NAMESPACE}/pods`, { body });
    expect(response.status).toBe(422);
    expect(response.json().message).toBe('Pod "no-image" is invalid: spec.containers[0].image: Required value');
    const missing = await kube.kubectl(["get", "pod", "no-image", "-n", NAMESPACE]);
    expect(missing.stderr).toContain('pods "no-image" not found');
  });

  test("a client writes neither status, owners nor a host outside the namespace's cluster, nor quantities beyond kube's", async () => {
    const post = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      kube.request("POST", `/api/v1/namespaces/${DEV_SPACE}/pods`, {
        as: "developer",
        body: JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "sneaky" }, spec: { containers: [{ name: "main", image: "busybox:1" }], ...spec }, ...extra }),
      });
    const elsewhere = await post({ nodeName: "esx-9.other" });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.json().message).toContain("spec.nodeName: Not found: \"esx-9.other\"");
    const huge = await post({ containers: [{ name: "main", image: "busybox:1", resources: { requests: { cpu: "1e30" } } }] });
    expect(huge.status).toBe(422);
    expect(huge.json().message).toContain("spec.containers[0].resources.requests.cpu: Invalid value: \"1e30\"");
    // A reference to the namespace is the engine's (kubectl-garbage-collection.test.ts has the rest of ownerReferences).
    const namespaceOwned = await post({}, { metadata: { name: "sneaky", ownerReferences: [{ apiVersion: "v1", kind: "Namespace", name: DEV_SPACE, uid: "00000000-0000-4000-8000-000000000001" }] } });
    expect(namespaceOwned.status).toBe(422);
    expect(namespaceOwned.json().message).toContain("metadata.ownerReferences[0]: Forbidden: this reference to Namespace");
    const created = await post({}, { status: { phase: "Running", podIP: "10.0.0.1" } });
    expect(created.status).toBe(201);
    // The status is the engine's (Pending, then whatever the scheduler and its host say), never the client's.
    const { rows } = await kube.pool.query(`SELECT status->>'podIP' AS ip, owner_references AS owners FROM resources WHERE kind = 'Pod' AND name = 'sneaky'`);
    expect(rows[0].owners).toEqual([]);
    expect(rows[0].ip).not.toBe("10.0.0.1");
  });

  test("a namespace's CPU limit counts pods' requests: the pod over it is refused with the quota message", async () => {
    const first = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: podManifest("first", LIMITED, "    resources:\n      requests:\n        cpu: 1500m\n        memory: 256Mi\n") });
    expect(first.stderr).toBe("");
    const again = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: podManifest("first", LIMITED, "    resources:\n      requests:\n        cpu: 1500m\n        memory: 256Mi\n") });
    expect(again.stdout.trim()).toBe("pod/first unchanged");
    const second = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: podManifest("second", LIMITED, "    resources:\n      limits:\n        cpu: \"1\"\n        memory: 256Mi\n") });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(
      'pods "second" is forbidden: exceeded quota: limited, requested: cpu=1, used: cpu=1500m, limited: cpu=2: CPU limit of limited is 2 vCPUs; 1.5 vCPUs are in use and the pod asks for 1 vCPU.',
    );
  });

  test("in a namespace with limits a pod must request CPU and memory", async () => {
    const run = await kube.kubectl(["run", "bare", "--image=busybox:1", "-n", LIMITED], { as: "developer" });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('The Pod "bare" is invalid: spec.containers[0].resources.requests.cpu: Required value: namespace limited has a CPU limit, so container bare must specify requests.cpu or limits.cpu');
  });

  test("a developer with the view role reads pods but cannot create one", async () => {
    const run = await kube.kubectl(["run", "peek", "--image=busybox:1", "-n", VIEW_ONLY], { as: "developer" });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "dev" cannot create resource "pods" in API group "" in the namespace "view-only": You can view namespace view-only but not change it: operating its pods needs the edit or owner role.');
    const list = await kube.kubectl(["get", "pods", "-n", VIEW_ONLY], { as: "developer" });
    expect(list.stderr).toBe("No resources found in view-only namespace.\n");
  });

  test("a pod that fits no host stays Pending, Unschedulable, with kube-scheduler's reason as a condition and an event", async () => {
    const picky = await kube.kubectl(["run", "picky", "--image=busybox:1", "-n", NAMESPACE, '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}']);
    expect(picky.stderr).toBe("");
    const huge = await kube.kubectl(["apply", "-f", "-"], { input: podManifest("huge", NAMESPACE, "    resources:\n      requests:\n        cpu: \"100\"\n") });
    expect(huge.stderr).toBe("");
    for (const [name, message] of [
      ["picky", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."],
      ["huge", "0/3 nodes are available: 3 Insufficient cpu."],
    ]) {
      const waited = await kube.kubectl(["wait", `pod/${name}`, "-n", NAMESPACE, "--for=condition=PodScheduled=False", "--timeout=30s"]);
      expect(waited.stdout).toContain("condition met");
      const pod = await podJson(name!);
      expect(pod.spec.nodeName).toBeUndefined();
      expect(pod.status.phase).toBe("Pending");
      expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: "PodScheduled", status: "False", reason: "Unschedulable", message }));
      const events = await kube.kubectl(["get", "events", "-n", NAMESPACE, "--field-selector", `involvedObject.name=${name},reason=FailedScheduling`]);
      expect(events.stdout).toContain(message);
    }
    const table = await kube.kubectl(["get", "pod", "picky", "-n", NAMESPACE, "--no-headers"]);
    expect(table.stdout).toMatch(/^picky\s+0\/1\s+Pending\s+0\s+/);
  });

  test("kubectl delete pod: gone once its host has stopped it, its task done", async () => {
    // A grace period that is no whole number of seconds is refused by name, and the pod stays.
    for (const bad of ["-1", "1.5", "lots"]) {
      const refused = await kube.request("DELETE", `/api/v1/namespaces/${NAMESPACE}/pods/web?gracePeriodSeconds=${bad}`);
      expect(refused.status).toBe(422);
      expect(refused.json().details?.causes?.[0]).toMatchObject({ field: "gracePeriodSeconds" });
    }
    expect((await kube.kubectl(["get", "pod", "web", "-n", NAMESPACE, "-o", "jsonpath={.metadata.deletionTimestamp}"])).stdout).toBe("");
    const deleted = await kube.kubectl(["delete", "pod", "web", "-n", NAMESPACE, "--timeout=30s"]);
    expect(deleted.stderr).toBe("");
    expect(deleted.stdout.trim()).toBe('pod "web" deleted');
    const gone = await kube.kubectl(["get", "pod", "web", "-n", NAMESPACE]);
    expect(gone.stderr).toContain('pods "web" not found');
    const { rows } = await kube.pool.query(`SELECT state FROM tasks WHERE operation = 'Pod.delete' AND target_name = 'web'`);
    expect(rows).toEqual([{ state: "success" }]);
    const { rows: metrics } = await kube.pool.query(`SELECT 1 FROM pod_metrics WHERE name = 'web'`);
    expect(metrics).toEqual([]);
  });
});
