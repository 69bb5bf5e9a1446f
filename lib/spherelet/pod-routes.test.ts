// Skylight's side of the pod routes over real HTTPS with hosts' tokens, against the real API server
// and engine: a host lists the pods bound to it as HostPods (images resolved, limits in millicores
// and bytes), its long poll is not woken by its own reports but is by a deletion, its report
// becomes the Pod's kube status and its metrics, a stopped report lets a deleted pod go, and a
// host cannot read or report another host's pods (refused before the body is read).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getObject } from "@/lib/engine/object-store";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createPod } from "@/lib/engine/operations/pod-operations";
import type { PodStatus } from "@/lib/engine/pod-status";
import { MAX_BODY_BYTES } from "@/lib/kube/api-limits";
import { CLUSTER, NAMESPACE, OPERATOR, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { imagePull } from "@/lib/spherelet/pod-routes";
import type { PodList, PodReport } from "@/lib/spherelet/pod-protocol";

let kube: KubeHarness;
const tokens: Record<string, string> = {};
let uid: string;

const podsPath = (host: string) => `/spherelet/v1/hosts/${host}/pods`;
const statusPath = (host: string, podUid: string) => `${podsPath(host)}/${podUid}/status`;
const listPods = async (host: string, query = "") => {
  const response = await kube.request("GET", `${podsPath(host)}${query}`, { token: tokens[host] });
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as PodList;
};
const put = (host: string, podUid: string, body: unknown, token = tokens[host]) =>
  kube.request("PUT", statusPath(host, podUid), { token, body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body), contentType: "application/json" });

const report = (change: Partial<PodReport> = {}): PodReport => ({
  phase: "Running",
  podIP: "10.244.9.2",
  startTime: "2026-12-06T15:00:00.000Z",
  containers: [
    { name: "main", state: { running: { startedAt: "2026-12-06T15:00:01.000Z" } }, lastState: {}, ready: true, started: true, restartCount: 0, image: "busybox:1", imageID: `sha256:${"a".repeat(64)}`, containerID: "runc://x-main" },
  ],
  stopped: false,
  usage: { cpuNanoCores: 1_500_000, memoryBytes: 3_000_000 },
  ...change,
});

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  for (const name of ["pods-1", "pods-2"]) tokens[name] = (await addAgentHost(OPERATOR, { name, cluster: CLUSTER }, kube.pool)).token;
  const limits = { cpu: "500m", memory: "64Mi" };
  const created = await createPod(
    OPERATOR,
    { namespace: NAMESPACE, name: "web", spec: { nodeName: "pods-1", restartPolicy: "OnFailure", containers: [{ name: "main", image: "busybox:1", command: ["sh"], env: [{ name: "A", value: "1" }], resources: { requests: limits, limits } }] } },
    kube.pool,
  );
  uid = created.object.uid;
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

describe("imagePull", () => {
  it("drops Skylight's registry host, puts a one-part name in the pod's namespace and tags latest by default", () => {
    expect(imagePull("busybox", "apps", "10.0.0.5:6443")).toEqual({ repository: "apps/busybox", reference: "latest" });
    expect(imagePull("10.0.0.5:6443/web-team/busybox:1", "apps", "10.0.0.5:6443")).toEqual({ repository: "web-team/busybox", reference: "1" });
    expect(imagePull(`web-team/busybox@sha256:${"b".repeat(64)}`, "apps", "10.0.0.5:6443")).toEqual({ repository: "web-team/busybox", reference: `sha256:${"b".repeat(64)}` });
    expect(imagePull("docker.io/library/nginx:1.27", "apps", "10.0.0.5:6443")).toEqual({ repository: "docker.io/library/nginx", reference: "1.27" });
  });
});

describe("the pod routes", () => {
  it("lists the host's pods as its agent runs them, and none of another host's", async () => {
    const list = await listPods("pods-1");
    expect(list.pods).toEqual([
      expect.objectContaining({
        uid,
        namespace: NAMESPACE,
        name: "web",
        runtimeClass: "runc",
        restartPolicy: "OnFailure",
        deleted: false,
        terminationGracePeriodSeconds: 30,
        containers: [expect.objectContaining({ name: "main", pull: { repository: `${NAMESPACE}/busybox`, reference: "1" }, command: ["sh"], args: null, env: [{ name: "A", value: "1" }], cpuMillis: 500, memoryBytes: 64 * 2 ** 20 })],
      }),
    ]);
    expect((await listPods("pods-2")).pods).toEqual([]);
  });

  it("refuses another host's token and a user's token before reading the body, and a report that breaks the protocol by field", async () => {
    const huge = Buffer.alloc(MAX_BODY_BYTES + 1024, "x");
    const foreign = await put("pods-2", uid, huge);
    expect(foreign.status).toBe(403);
    expect(foreign.json().message).toContain("only the pods bound to that host");
    const wrongPath = await put("pods-1", uid, huge, tokens["pods-2"]);
    expect(wrongPath.status).toBe(403);
    const user = await kube.request("PUT", statusPath("pods-1", uid), { as: "developer", body: huge, contentType: "application/json" });
    expect(user.status).toBe(403);
    const userList = await kube.request("GET", podsPath("pods-1"), { as: "administrator" });
    expect(userList.status).toBe(403);
    const invalid = await put("pods-1", uid, { ...report(), phase: "Exploded" });
    expect(invalid.status).toBe(400);
    expect(invalid.json().message).toContain("phase");
    const pod = await getObject<unknown, PodStatus>(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "web" });
    expect(pod!.status.phase).toBe("Pending");
  });

  it("copies a report into the pod's kube status and its metrics, without waking the host's own long poll", async () => {
    const { version } = await listPods("pods-1");
    const polling = (async () => {
      const started = Date.now();
      const list = await listPods("pods-1", `?after=${version}&waitSeconds=2`);
      return { list, waitedMs: Date.now() - started };
    })();
    expect((await put("pods-1", uid, report())).status).toBe(204);
    const pod = await getObject<unknown, PodStatus>(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "web" });
    expect(pod!.status).toMatchObject({ phase: "Running", podIP: "10.244.9.2", podIPs: [{ ip: "10.244.9.2" }], containerStatuses: [{ name: "main", ready: true, restartCount: 0 }] });
    expect(pod!.status.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("True");
    const { rows } = await kube.pool.query(`SELECT cpu_nano_cores, memory_bytes FROM pod_metrics WHERE pod_uid = $1`, [uid]);
    expect(rows[0]).toEqual({ cpu_nano_cores: 1_500_000, memory_bytes: 3_000_000 });
    const { waitedMs } = await polling;
    expect(waitedMs).toBeGreaterThanOrEqual(1_900);
  });

  it("wakes the host's long poll when its pod is deleted, with the grace period kubectl delete asked for, and lets the pod go once the host reports it stopped", async () => {
    const { version } = await listPods("pods-1");
    const polling = listPods("pods-1", `?after=${version}&waitSeconds=20`);
    const deleted = await kube.kubectl(["delete", "pod", "web", "-n", NAMESPACE, "--grace-period=2", "--wait=false"]);
    expect(deleted.stdout).toContain(`pod "web" deleted`);
    const woken = await polling;
    expect(woken.pods).toEqual([expect.objectContaining({ uid, deleted: true, terminationGracePeriodSeconds: 2 })]);
    expect(await getObject(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "web" })).not.toBeNull();
    expect((await put("pods-1", uid, report({ phase: "Succeeded", podIP: null, containers: [], stopped: true, usage: null }))).status).toBe(204);
    await waitFor(async () => (await getObject(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "web" })) === null, "the pod to go", 10_000);
    expect((await listPods("pods-1")).pods).toEqual([]);
  });
});
