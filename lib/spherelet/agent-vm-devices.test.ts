// A VM on a host running the Skylight agent, given an added hard disk in Edit Settings: the agent
// does not attach added devices, so the VM says so in a condition and in status.volumes instead of
// leaving the disk silently unattached. The agent's side is played by hand over its real routes.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import type { MachineList, MachineStatus } from "@/lib/spherelet/machine-protocol";
import { CLUSTER, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const HOST = "qemu-1";
let kube: KubeHarness;
let token: string;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  token = (await addAgentHost(OPERATOR, { name: HOST, cluster: CLUSTER, datastore: "shared" }, kube.pool)).token;
  const node = { apiVersion: "v1", kind: "Node", metadata: { name: HOST }, status: { capacity: { cpu: "4", memory: "16777216Ki" }, addresses: [{ type: "InternalIP", address: "10.9.0.1" }] } };
  expect((await kube.request("POST", "/api/v1/nodes", { token, body: JSON.stringify(node) })).status).toBe(201);
  const lease = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: HOST, namespace: "kube-node-lease" }, spec: { holderIdentity: HOST, leaseDurationSeconds: 3600, renewTime: new Date().toISOString().replace("Z", "000Z") } };
  expect((await kube.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", { token, body: JSON.stringify(lease) })).status).toBe(201);
  kube.startEngine();
  await waitFor(
    async () => (await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND status->>'connectionState' = 'connected'`, [HOST])).rowCount === 1,
    "the agent host to be connected",
  );
}, 60_000);
afterAll(async () => kube?.stopKube());

/** The agent's pass: every machine listed reported as its spec asks, with nothing in progress. */
async function agentReports(): Promise<void> {
  const { machines } = (await kube.request("GET", `/spherelet/v1/hosts/${HOST}/machines`, { token })).json() as unknown as MachineList;
  for (const machine of machines) {
    const status: MachineStatus = {
      observedGeneration: machine.generation,
      provisioned: true,
      deleted: machine.spec.deleted,
      powerState: machine.spec.powerState,
      operation: null,
      cpus: machine.spec.cpus,
      memoryMiB: machine.spec.memoryMiB,
      diskGiB: machine.spec.diskGiB,
      ipAddress: null,
      lastError: null,
      snapshots: [],
      currentSnapshotId: null,
      lastRequest: machine.spec.request?.id ?? null,
      pid: null,
      serialTail: "",
      counters: null,
      migration: null,
      datastore: "shared",
    };
    await kube.request("PUT", `/spherelet/v1/hosts/${HOST}/machines/${machine.id}/status`, { token, body: JSON.stringify(status) });
  }
}

const statusOf = async () => (await vmStatus(kube.pool, "on-agent"))?.status as VirtualMachineStatus | undefined;

describe("added devices on a host running the Skylight agent", () => {
  test("an added disk stays in the spec, and the VM's condition and status.volumes say the host does not attach it", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "on-agent", spec: vmSpec({ storageClass: "shared", powerState: "PoweredOff" }) }, kube.pool, { requestedHost: HOST });
    await waitFor(async () => (await agentReports(), (await statusOf())?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True")), "the VM to be created on the agent host");

    const { generation } = (await vmStatus(kube.pool, "on-agent"))!;
    await editVirtualMachineSettings(OPERATOR, { namespace: NAMESPACE, name: "on-agent", settings: { className: "best-effort-small", hardware: null, diskGiB: 20, adapters: [], disks: [{ name: "", sizeGiB: 20 }] }, expectedGeneration: generation }, kube.pool);
    const condition = await waitFor(async () => {
      await agentReports();
      return (await statusOf())?.conditions?.find((entry) => entry.type === "VirtualMachineDevicesSynced");
    }, "the VM to say its added disk is not attached");
    expect(condition).toMatchObject({ status: "False", reason: "NotSupported", message: expect.stringContaining(`Host ${HOST} runs its VMs under QEMU through the Skylight agent, which does not attach added hard disks`) });
    expect((await statusOf())?.volumes).toEqual([{ name: "disk-1", type: "Managed", attached: false, error: condition.message }]);
  });
});
