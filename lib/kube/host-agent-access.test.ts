// A host's bootstrap token, as an agent (or a thief) uses it through the real API server: it
// registers and reports its own Node and Lease, which kubectl then shows, and reaches nothing else.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAgentHost, addHost } from "@/lib/engine/operations/host-operations";
import { SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";
import { CLUSTER, OPERATOR, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;
const tokens: Record<string, string> = {};

const nodeBody = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/os": "linux" } },
    status: {
      capacity: { cpu: "2", memory: "4194304Ki", pods: "0" },
      allocatable: { cpu: "2", memory: "4194304Ki", pods: "0" },
      addresses: [{ type: "InternalIP", address: "10.1.2.3" }, { type: "Hostname", address: name }],
      nodeInfo: { kubeletVersion: "v1.32.0-spherelet", osImage: "Debian GNU/Linux 12", kernelVersion: "6.1.0", containerRuntimeVersion: "qemu://7.2.15", operatingSystem: "linux", architecture: "amd64" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "spherelet is posting ready status", lastHeartbeatTime: new Date().toISOString() }],
    },
    ...extra,
  });

const leaseBody = (name: string, holder = name, resourceVersion?: string) =>
  JSON.stringify({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: "kube-node-lease", ...(resourceVersion && { resourceVersion }) },
    spec: { holderIdentity: holder, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace("Z", "000Z") },
  });

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  tokens["real-1"] = (await addAgentHost(OPERATOR, { name: "real-1", cluster: CLUSTER, otherDatastores: ["real-1-archive"] }, kube.pool)).token;
  tokens["real-2"] = (await addAgentHost(OPERATOR, { name: "real-2", cluster: CLUSTER, otherDatastores: ["real-2-fast"] }, kube.pool)).token;
}, 60_000);

afterAll(async () => {
  await kube?.stopKube();
});

describe("a host's agent registers its Node and heartbeats with its Lease", () => {
  test("the Host waits, disconnected, until its agent registers; then kubectl lists the Node Ready and the Lease's holder", async () => {
    expect((await kube.pool.query(`SELECT status->>'connectionState' AS state FROM resources WHERE kind = 'Host' AND name = 'real-1'`)).rows[0]?.state).not.toBe("connected");

    const created = await kube.request("POST", "/api/v1/nodes", { token: tokens["real-1"], body: nodeBody("real-1") });
    expect(created.status).toBe(201);
    const node = created.json() as { metadata: { labels: Record<string, string>; resourceVersion: string }; spec: { providerID: string } };
    expect(node.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "real-1", "skylight.io/cluster": CLUSTER, "kubernetes.io/os": "linux" });
    expect(node.spec.providerID).toBe("skylight://host/real-1");
    expect((await kube.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", { token: tokens["real-1"], body: leaseBody("real-1") })).status).toBe(201);

    await waitFor(
      async () => (await kube.pool.query(`SELECT status->>'connectionState' AS state FROM resources WHERE kind = 'Host' AND name = 'real-1'`)).rows[0]?.state === "connected",
      "real-1 connected",
      20_000,
    );
    const nodes = await kube.kubectl(["get", "nodes", "-o", "wide"]);
    expect(nodes.code, nodes.stderr).toBe(0);
    expect(nodes.stdout).toMatch(/^real-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-spherelet\s+10\.1\.2\.3\s+Debian GNU\/Linux 12\s+6\.1\.0\s+qemu:\/\/7\.2\.15$/m);
    const leases = await kube.kubectl(["get", "leases", "-n", "kube-node-lease"]);
    expect(leases.stdout).toMatch(/^real-1\s+real-1\s+/m);
    const host = await kube.kubectl(["get", "host", "real-1", "-o", "jsonpath={.status.hardware.memoryMiB} {.status.version} {.status.managementIP}"]);
    expect(host.stdout).toBe("4096 v1.32.0-spherelet 10.1.2.3");
  });

  test("a status report names the version it read; a stale one is a conflict the agent must read again for", async () => {
    const current = (await kube.request("GET", "/api/v1/nodes/real-1", { token: tokens["real-1"] })).json() as { metadata: { resourceVersion: string } };
    const fresh = await kube.request("PUT", "/api/v1/nodes/real-1/status", { token: tokens["real-1"], body: nodeBody("real-1", { metadata: { name: "real-1", resourceVersion: current.metadata.resourceVersion } }) });
    expect(fresh.status).toBe(200);
    const stale = await kube.request("PUT", "/api/v1/nodes/real-1/status", { token: tokens["real-1"], body: nodeBody("real-1", { metadata: { name: "real-1", resourceVersion: current.metadata.resourceVersion } }) });
    expect(stale.status).toBe(409);
    const lease = (await kube.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/real-1", { token: tokens["real-1"] })).json() as { metadata: { resourceVersion: string } };
    expect((await kube.request("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/real-1", { token: tokens["real-1"], body: leaseBody("real-1", "real-1", lease.metadata.resourceVersion) })).status).toBe(200);
  });
});

describe("a stolen host token reaches only its own host", () => {
  test.each([
    ["another host's Node", "GET", "/api/v1/nodes/real-2"],
    ["the list of Nodes", "GET", "/api/v1/nodes"],
    ["another host's Node status", "PUT", "/api/v1/nodes/real-2/status"],
    ["its own Node's spec", "PUT", "/api/v1/nodes/real-1"],
    ["its own Node, deleted", "DELETE", "/api/v1/nodes/real-1"],
    ["another host's Lease", "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/real-2"],
    ["a Lease elsewhere", "GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/real-1"],
    ["VMs", "GET", "/apis/vmoperator.vmware.com/v1alpha3/virtualmachines"],
    ["hosts", "GET", "/apis/skylight.io/v1alpha1/hosts/real-1"],
    ["namespaces", "GET", "/api/v1/namespaces"],
    ["another host's machines", "GET", "/spherelet/v1/hosts/real-2/machines"],
    ["another host's machine status", "PUT", "/spherelet/v1/hosts/real-2/machines/qm-0000000000/status"],
  ])("%s: 403 Forbidden, before any body is read", async (_what, method, path) => {
    const response = await kube.request(method, path, { token: tokens["real-1"], body: "{ this is not json" });
    expect(response.status).toBe(403);
    expect(response.json().message).toContain('User "system:node:real-1"');
  });

  test("a Node or Lease under another name, labels outside kubernetes.io, another holder: refused with the field named", async () => {
    const renamed = await kube.request("POST", "/api/v1/nodes", { token: tokens["real-2"], body: nodeBody("real-1") });
    expect(renamed.status).toBe(400);
    const labelled = await kube.request("POST", "/api/v1/nodes", {
      token: tokens["real-2"],
      body: nodeBody("real-2", { metadata: { name: "real-2", labels: { "skylight.io/cluster": "prod-cluster-01" } } }),
    });
    expect(labelled.status).toBe(422);
    expect(labelled.json().details?.causes?.[0]?.field).toBe("metadata.labels.skylight.io/cluster");
    const holder = await kube.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", { token: tokens["real-2"], body: leaseBody("real-2", "real-1") });
    expect(holder.status).toBe(422);
    expect(holder.json().details?.causes?.[0]?.field).toBe("spec.holderIdentity");
    expect((await kube.pool.query(`SELECT 1 FROM resources WHERE kind IN ('Node', 'Lease') AND name = 'real-2'`)).rowCount).toBe(0);
  });

  test("its Node publishes its console endpoint only: a malformed certificate hash or port is refused with the field named, other annotations it sends are not written", async () => {
    const status = (JSON.parse(nodeBody("real-1")) as { status: Record<string, unknown> }).status;
    const report = (annotations: Record<string, string>, port = 10250) =>
      kube.request("PUT", "/api/v1/nodes/real-1/status", { token: tokens["real-1"], body: nodeBody("real-1", { metadata: { name: "real-1", annotations }, status: { ...status, daemonEndpoints: { kubeletEndpoint: { Port: port } } } }) });
    const stored = async () => (await kube.pool.query<{ annotations: Record<string, string>; port: number | null }>(`SELECT annotations, (status->'daemonEndpoints'->'kubeletEndpoint'->>'Port')::int AS port FROM resources WHERE kind = 'Node' AND name = 'real-1'`)).rows[0]!;
    const before = await stored();

    const malformed = await report({ [SERVING_CERTIFICATE_ANNOTATION]: "sha256:not-a-hash" });
    expect(malformed.status).toBe(422);
    expect(malformed.json().details?.causes?.[0]).toMatchObject({ field: `metadata.annotations.${SERVING_CERTIFICATE_ANNOTATION}`, message: 'must be "sha256:" and 64 lowercase hex digits' });
    const port = await report({ [SERVING_CERTIFICATE_ANNOTATION]: `sha256:${"a".repeat(64)}` }, 70_000);
    expect(port.status).toBe(422);
    expect(port.json().details?.causes?.[0]?.field).toBe("status.daemonEndpoints.kubeletEndpoint.Port");
    expect(await stored()).toEqual(before);

    const published = await report({ [SERVING_CERTIFICATE_ANNOTATION]: `sha256:${"b".repeat(64)}`, "skylight.io/requested-host": "real-2", "example.com/anything": "x" });
    expect(published.status).toBe(200);
    expect(await stored()).toEqual({ annotations: { ...before.annotations, [SERVING_CERTIFICATE_ANNOTATION]: `sha256:${"b".repeat(64)}` }, port: 10250 });
  });

  test("its own machine routes refuse malformed parameters and bodies with the rule named, and change nothing", async () => {
    const own = (path: string, body?: string) => kube.request(body === undefined ? "GET" : "PUT", `/spherelet/v1/hosts/real-1/${path}`, { token: tokens["real-1"], body });
    expect((await own("machines?after=x&waitSeconds=5")).json().message).toContain("after must be a version");
    expect((await own("machines?after=1&waitSeconds=99999")).json().message).toContain("waitSeconds must be a whole number from 0 to 30");
    const polluted = await own("datastore", '{"__proto__": {"admin": true}, "datastores": [{"name": "test-cluster-datastore", "capacityGiB": 1, "usedGiB": 0}]}');
    expect(polluted.status).toBe(400);
    const huge = await own("datastore", JSON.stringify({ datastores: [{ name: "test-cluster-datastore", capacityGiB: 1e12, usedGiB: 0 }] }));
    expect(huge.status).toBe(400);
    expect(huge.json().message).toContain("datastores.0.capacityGiB");
    const status = await own("machines/qm-unknown/status", JSON.stringify({ observedGeneration: "one" }));
    expect(status.status).toBe(400);
    expect(status.json().message).toContain("observedGeneration");
    expect(Object.prototype).not.toHaveProperty("admin");
    expect((await kube.pool.query(`SELECT capacity_gib FROM spherelet_host_datastores WHERE host = 'real-1'`)).rows[0]?.capacity_gib).toBeNull();
  });

  test("its datastore report names only the host's own datastores: another's, or one it lacks, is refused by name and nothing is recorded", async () => {
    const report = (datastores: { name: string; capacityGiB: number; usedGiB: number }[]) =>
      kube.request("PUT", "/spherelet/v1/hosts/real-2/datastore", { token: tokens["real-2"], body: JSON.stringify({ datastores }) });
    const space = (host: string) => kube.pool.query<{ datastore: string; capacity_gib: number | null }>(`SELECT datastore, capacity_gib FROM spherelet_host_datastores WHERE host = $1 ORDER BY position`, [host]);
    const own = [
      { name: "test-cluster-datastore", capacityGiB: 100, usedGiB: 40 },
      { name: "real-2-fast", capacityGiB: 50, usedGiB: 5 },
    ];

    const foreign = await report([...own, { name: "real-1-archive", capacityGiB: 1e6, usedGiB: 0 }]);
    expect(foreign.status).toBe(400);
    expect(foreign.json().message).toBe('invalid datastore report: datastores: host real-2 has no datastore "real-1-archive" (it mounts test-cluster-datastore, real-2-fast)');
    const twice = await report([own[1]!, own[1]!]);
    expect(twice.status).toBe(400);
    expect(twice.json().message).toContain("real-2-fast is reported twice");
    expect((await space("real-2")).rows.map((row) => row.capacity_gib)).toEqual([null, null]);

    expect((await report(own)).status).toBe(204);
    expect((await space("real-2")).rows).toEqual([
      { datastore: "test-cluster-datastore", capacity_gib: 100 },
      { datastore: "real-2-fast", capacity_gib: 50 },
    ]);
    // real-1 shares the default datastore but not real-2's other one: its figures are its own.
    expect((await space("real-1")).rows).toEqual([
      { datastore: "test-cluster-datastore", capacity_gib: null },
      { datastore: "real-1-archive", capacity_gib: null },
    ]);
  });

  test("a user's token reads no machines, a developer sees no Nodes, and an unknown host token is 401", async () => {
    expect((await kube.request("GET", "/spherelet/v1/hosts/real-1/machines", { as: "administrator" })).status).toBe(403);
    const developer = await kube.kubectl(["get", "nodes"], { as: "developer" });
    expect(developer.code).not.toBe(0);
    expect(developer.stderr).toContain("Forbidden");
    expect((await kube.request("GET", "/api/v1/nodes/real-1", { token: "skylight-host_not-a-real-token" })).status).toBe(401);
  });
});

test("a cluster holds either simulated hosts or hosts running the agent, never both", async () => {
  await expect(addHost(OPERATOR, { name: "esx-sim.test", cluster: CLUSTER, cpuCores: 8, cpuMhz: 2600, memoryMiB: 8192, datastores: [] }, kube.provider, kube.pool)).rejects.toThrow(/has hosts running the Skylight agent/);
  expect((await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = 'esx-sim.test'`)).rowCount).toBe(0);
});
