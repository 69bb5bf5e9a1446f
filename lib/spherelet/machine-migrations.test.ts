// The live-migration handshake between two hosts' agents, as the real API server and agent provider
// carry it (the agents' HTTP requests made by hand, with their real tokens): the destination lists
// the machine with its key and says where it listens, the source reads that, and Skylight moves the
// VM only when both ends have reported. A failure at either end leaves the VM where it was and is
// reported once; nobody but the chosen destination can report as it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createAgentProvider, type AgentProvider } from "@/lib/provider/agent-provider";
import { ProviderError } from "@/lib/provider/provider";
import type { IncomingStatus, MachineList, MachineStatus } from "@/lib/spherelet/machine-protocol";
import { CLUSTER, OPERATOR } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;
let agents: AgentProvider;
const tokens: Record<string, string> = {};
const HOSTS = ["mig-a", "mig-b", "mig-c"];

const renewLease = (host: string, at = new Date()) =>
  kube.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
    token: tokens[host],
    body: JSON.stringify({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: host, namespace: "kube-node-lease" }, spec: { holderIdentity: host, leaseDurationSeconds: 40, renewTime: at.toISOString().replace("Z", "000Z") } }),
  });

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  agents = createAgentProvider({ db: kube.pool });
  for (const host of HOSTS) {
    tokens[host] = (await addAgentHost(OPERATOR, { name: host, cluster: CLUSTER, datastore: host === "mig-c" ? "elsewhere" : "shared" }, kube.pool)).token;
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: host }, status: { capacity: { cpu: "2", memory: "4194304Ki" }, addresses: [{ type: "InternalIP", address: "10.9.0.1" }] } };
    expect((await kube.request("POST", "/api/v1/nodes", { token: tokens[host], body: JSON.stringify(node) })).status).toBe(201);
    expect((await renewLease(host)).status).toBe(201);
  }
}, 60_000);

afterAll(async () => kube?.stopKube());

const hostPath = (host: string) => `/spherelet/v1/hosts/${host}`;
const list = async (host: string) => (await kube.request("GET", `${hostPath(host)}/machines`, { token: tokens[host] })).json() as unknown as MachineList;
const put = (host: string, id: string, what: "status" | "incoming", body: unknown, as = host) =>
  kube.request("PUT", `${hostPath(host)}/machines/${id}/${what}`, { token: tokens[as], body: JSON.stringify(body) });

function runningStatus(generation: number, extra: Partial<MachineStatus> = {}): MachineStatus {
  return {
    observedGeneration: generation,
    provisioned: true,
    deleted: false,
    powerState: "PoweredOn",
    operation: null,
    cpus: 1,
    memoryMiB: 128,
    diskGiB: 1,
    ipAddress: "10.0.2.15",
    lastError: null,
    snapshots: [],
    currentSnapshotId: null,
    lastRequest: null,
    pid: 4242,
    serialTail: "",
    counters: null,
    migration: null,
    datastore: "shared",
    ...extra,
  };
}

/** A VM the source agent reports running. */
async function runningVm(name: string) {
  const vm = await agents.createVm({ ownerKey: `apps/${name}`, host: "mig-a", datastore: "shared", cpus: 1, memoryMiB: 128, diskGiB: 1, imageName: "skylight-tiny" });
  await agents.setPowerState(vm.id, "PoweredOn", "Hard");
  const generation = (await list("mig-a")).machines.find((machine) => machine.id === vm.id)!.generation;
  expect((await put("mig-a", vm.id, "status", runningStatus(generation))).status).toBe(204);
  return vm.id;
}

/** Asks for the migration; the source's agent acknowledges the new spec, as its next pass would. Returns the migration's id. */
async function startMigration(id: string, to = "mig-b") {
  await agents.migrateVm(id, to);
  const source = (await list("mig-a")).machines.find((machine) => machine.id === id)!;
  expect((await put("mig-a", id, "status", runningStatus(source.generation))).status).toBe(204);
  return source.spec.migration!.id;
}

const listening = (migrationId: string): IncomingStatus => ({ migrationId, state: "listening", address: "10.9.0.2", port: 49152, error: null, status: null });

describe("live migration between two agents", () => {
  test("the destination lists the machine to receive, with the stream's key; the source learns where it listens; the VM moves when both have reported, with its figures", async () => {
    const id = await runningVm("moving");
    await agents.migrateVm(id, "mig-b");
    expect((await agents.findVm("apps/moving"))?.operation?.name).toBe("migrate");

    const received = (await list("mig-b")).machines.find((machine) => machine.id === id)!;
    expect(received.role).toBe("receive");
    expect(received.spec.migration).toMatchObject({ to: "mig-b", key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const migrationId = received.spec.migration!.id;
    expect((await list("mig-c")).machines.map((machine) => machine.id)).not.toContain(id);

    const before = await list("mig-a");
    expect(before.machines.find((machine) => machine.id === id)!.incoming).toBeNull();
    expect((await put("mig-b", id, "incoming", listening(migrationId))).status).toBe(204);
    const after = await list("mig-a");
    // The source's long poll wakes: its list has a newer version, naming where to send the VM.
    expect(BigInt(after.version)).toBeGreaterThan(BigInt(before.version));
    const source = after.machines.find((machine) => machine.id === id)!;
    expect(source).toMatchObject({ role: "run", incoming: { state: "listening", address: "10.9.0.2", port: 49152 } });

    // The source reports the migration done (its QEMU quit): the VM stays put until the destination runs it.
    const figures = { id: migrationId, state: "completed", progress: 100, totalTimeMs: 1_250, downtimeMs: 40, transferredBytes: 90 * 2 ** 20, error: null } as const;
    expect((await put("mig-a", id, "status", runningStatus(source.generation, { powerState: "PoweredOff", pid: null, migration: figures }))).status).toBe(204);
    expect((await agents.findVm("apps/moving"))).toMatchObject({ host: "mig-a", powerState: "PoweredOn", operation: { name: "migrate" } });
    expect((await put("mig-b", id, "incoming", { ...listening(migrationId), state: "running", status: runningStatus(source.generation, { pid: 777 }) })).status).toBe(204);

    const moved = await agents.findVm("apps/moving");
    expect(moved).toMatchObject({ host: "mig-b", powerState: "PoweredOn", operation: null, lastMigration: { to: "mig-b", error: null, totalTimeMs: 1_250, downtimeMs: 40, transferredBytes: 90 * 2 ** 20 } });
    expect((await list("mig-a")).machines.map((machine) => machine.id)).not.toContain(id);
    const arrived = (await list("mig-b")).machines.find((machine) => machine.id === id)!;
    expect(arrived.role).toBe("run");
    expect(arrived.spec.migration ?? null).toBeNull();
    // The source's late report about a machine no longer its own is refused; the destination's counts.
    expect((await put("mig-a", id, "status", runningStatus(source.generation))).status).toBe(404);
  });

  test("only the chosen destination reports as the receiver, and only for the migration under way; a malformed report changes nothing", async () => {
    const id = await runningVm("guarded");
    await agents.migrateVm(id, "mig-b");
    const migrationId = (await list("mig-b")).machines.find((machine) => machine.id === id)!.spec.migration!.id;
    // Another host, even one with its own token, cannot claim to receive it, nor the source; mig-c's token cannot pose as mig-b.
    expect((await put("mig-c", id, "incoming", listening(migrationId))).status).toBe(404);
    expect((await put("mig-a", id, "incoming", listening(migrationId))).status).toBe(404);
    expect((await put("mig-b", id, "incoming", listening(migrationId), "mig-c")).status).toBe(403);
    expect((await put("mig-b", id, "incoming", listening("an-old-attempt"))).status).toBe(404);
    const malformed = await put("mig-b", id, "incoming", { ...listening(migrationId), port: 70_000, state: "hijacked" });
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/invalid incoming status: .*state.*port|invalid incoming status: .*port.*state/);
    expect((await list("mig-a")).machines.find((machine) => machine.id === id)!.incoming).toBeNull();
  });

  test("a destination that cannot receive fails the migration: the VM stays where it runs, the reason is reported once, and asking again starts a new attempt", async () => {
    const id = await runningVm("stays");
    const migrationId = await startMigration(id);
    expect((await put("mig-b", id, "incoming", { ...listening(migrationId), state: "failed", address: null, port: null, error: "The image is not on this host." })).status).toBe(204);

    expect(await agents.findVm("apps/stays")).toMatchObject({ host: "mig-a", powerState: "PoweredOn", operation: null, lastMigration: { to: "mig-b", error: "The image is not on this host." } });
    expect((await list("mig-b")).machines.map((machine) => machine.id)).not.toContain(id);
    await expect(agents.migrateVm(id, "mig-b")).rejects.toThrow(new ProviderError("The image is not on this host.", false));
    await agents.migrateVm(id, "mig-b");
    expect((await list("mig-b")).machines.find((machine) => machine.id === id)!.spec.migration!.id).not.toBe(migrationId);
  });

  test("a migration whose destination stops heartbeating is abandoned with the reason; a host without the VM's datastore is refused before anything starts", async () => {
    const id = await runningVm("abandoned");
    await expect(agents.migrateVm(id, "mig-c")).rejects.toThrow("Host mig-c does not mount datastore shared, where the VM's files are");
    await startMigration(id);
    await kube.pool.query(`UPDATE resources SET spec = jsonb_set(spec, '{renewTime}', to_jsonb($1::text)) WHERE kind = 'Lease' AND name = 'mig-b'`, [new Date(Date.now() - 60_000).toISOString()]);
    try {
      expect(await agents.findVm("apps/abandoned")).toMatchObject({ host: "mig-a", operation: null, lastMigration: { error: "host mig-b stopped responding during the live migration" } });
    } finally {
      await renewLease("mig-b");
      await kube.pool.query(`UPDATE resources SET spec = jsonb_set(spec, '{renewTime}', to_jsonb($1::text)) WHERE kind = 'Lease' AND name = 'mig-b'`, [new Date().toISOString()]);
    }
  });

  test("a powered-off VM moves at once: its files are on the shared datastore, so only its placement changes", async () => {
    const vm = await agents.createVm({ ownerKey: "apps/cold", host: "mig-a", datastore: "shared", cpus: 1, memoryMiB: 128, diskGiB: 1, imageName: "skylight-tiny" });
    await agents.migrateVm(vm.id, "mig-b");
    expect(await agents.findVm("apps/cold")).toMatchObject({ host: "mig-b" });
    expect((await list("mig-b")).machines.find((machine) => machine.id === vm.id)).toMatchObject({ role: "run" });
  });
});
