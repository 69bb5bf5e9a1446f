// A real host's Summary facts: before its agent registers, the command that starts it (without
// the token, which only the Add Host wizard showed, with a --datastore flag for each datastore it
// mounts besides its default one); after, what the agent registered on its Node and its Lease's
// last renewal. A simulated host has none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "@/lib/config";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createLease, registerNode } from "@/lib/engine/operations/node-operations";
import { isAgentHost, readAgentHost } from "@/lib/inventory/agent-host-reads";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { ensureCertificateAuthority } from "@/lib/kube/certificate-authority";
import { createHarness, OPERATOR, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
const uidOf = async (name: string) => (await harness.pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Host' AND name = $1`, [name])).rows[0]!.uid;

beforeAll(async () => {
  harness = await createHarness({ hosts: 0 });
}, 60_000);
afterAll(() => harness.stop());

describe("a real host's agent on its Summary", () => {
  it("waits for the agent with the command that starts it, its token left out, then shows what the agent registered", async () => {
    const { object, token } = await addAgentHost(OPERATOR, { name: "qemu-01.lab", cluster: "test-cluster" }, harness.pool);
    const hash = caCertHash((await ensureCertificateAuthority(harness.pool)).certificatePem);

    const waiting = await readAgentHost(object.uid, "console.example");
    expect(waiting).toMatchObject({ registered: false, datastores: ["test-cluster-datastore"], agentVersion: null, lastHeartbeat: null });
    expect(waiting!.command).toBe(`npm run spherelet -- --server https://console.example:${readConfig().kubePort} --token <token> --name qemu-01.lab --ca-cert-hash ${hash}`);
    expect(waiting!.command).not.toContain(token);

    const host = { name: "qemu-01.lab", cluster: "test-cluster", datastore: "test-cluster-datastore" };
    await registerNode(harness.pool, host, {
      labels: {},
      status: {
        addresses: [{ type: "InternalIP", address: "10.1.2.3" }, { type: "Hostname", address: "qemu-01" }],
        nodeInfo: { kubeletVersion: "v1.32.0-spherelet", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0-28-amd64", containerRuntimeVersion: "qemu://7.2.15", architecture: "amd64" },
      },
    });
    await createLease(harness.pool, host, { holderIdentity: "qemu-01.lab", leaseDurationSeconds: 40, renewTime: "2026-12-06T09:30:00.123456Z" });
    expect(await readAgentHost(object.uid, "console.example")).toEqual({
      registered: true,
      datastores: ["test-cluster-datastore"],
      agentVersion: "v1.32.0-spherelet",
      osImage: "Debian GNU/Linux 12 (bookworm)",
      kernelVersion: "6.1.0-28-amd64",
      architecture: "amd64",
      hypervisor: "QEMU 7.2.15",
      addresses: [{ type: "InternalIP", address: "10.1.2.3" }, { type: "Hostname", address: "qemu-01" }],
      lastHeartbeat: "2026-12-06T09:30:00.123456Z",
      command: null,
    });
  });

  it("lists the other datastores a host mounts after its default one, each in the command with the directory to fill in", async () => {
    const { object } = await addAgentHost(OPERATOR, { name: "qemu-02.lab", cluster: "test-cluster", otherDatastores: ["fast-ssd-01", "archive-01"] }, harness.pool);
    const waiting = await readAgentHost(object.uid, "console.example");
    expect(waiting?.datastores).toEqual(["test-cluster-datastore", "fast-ssd-01", "archive-01"]);
    expect(waiting?.command).toMatch(/ --ca-cert-hash sha256:[0-9a-f]{64} --datastore fast-ssd-01=<directory> --datastore archive-01=<directory>$/);
    const { rows } = await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Datastore' AND labels->>'skylight.io/cluster' = 'test-cluster' AND name IN ('fast-ssd-01', 'archive-01') ORDER BY name`);
    expect(rows.map((row) => row.name)).toEqual(["archive-01", "fast-ssd-01"]);
  });

  it("refuses other datastores that repeat the default, repeat each other or belong to another cluster, naming the field", async () => {
    await expect(addAgentHost(OPERATOR, { name: "qemu-03.lab", cluster: "test-cluster", otherDatastores: ["test-cluster-datastore"] }, harness.pool)).rejects.toMatchObject({
      field: "otherDatastores",
      message: 'Datastore "test-cluster-datastore" is already the host\'s default datastore; list only the others.',
    });
    await expect(addAgentHost(OPERATOR, { name: "qemu-03.lab", cluster: "test-cluster", otherDatastores: ["fast-ssd-01", "fast-ssd-01"] }, harness.pool)).rejects.toThrow(/must not name a datastore twice/);
    await harness.pool.query(`INSERT INTO resources (api_version, kind, name, labels, spec) VALUES ('skylight.io/v1alpha1', 'Datastore', 'other-nfs', '{"skylight.io/cluster": "other-cluster"}', '{}')`);
    await expect(addAgentHost(OPERATOR, { name: "qemu-03.lab", cluster: "test-cluster", otherDatastores: ["other-nfs"] }, harness.pool)).rejects.toMatchObject({
      field: "otherDatastores",
      message: 'Datastore "other-nfs" belongs to another cluster; name a new one or one of test-cluster\'s.',
    });
    expect((await harness.pool.query(`SELECT 1 FROM spherelet_hosts WHERE name = 'qemu-03.lab'`)).rowCount).toBe(0);
  });

  it("has nothing for a simulated host", async () => {
    await harness.provider.addHost({ name: "esx-1.test", cluster: "sim-cluster", cpuCores: 8, cpuMhz: 2600, memoryMiB: 65536, datastores: [] });
    await harness.pool.query(`INSERT INTO resources (api_version, kind, name, spec) VALUES ('skylight.io/v1alpha1', 'Host', 'esx-1.test', '{"cluster":"sim-cluster"}')`);
    expect(await readAgentHost(await uidOf("esx-1.test"), "console.example")).toBeNull();
    expect([await isAgentHost("esx-1.test"), await isAgentHost("qemu-01.lab")]).toEqual([false, true]);
  });
});
