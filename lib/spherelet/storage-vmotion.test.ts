// Storage vMotion on a real host: one agent (`npm run spherelet`, a separate process) mounting two
// datastores, joined to a real API server and engine. Migrate › Change storage moves a running tiny
// guest's files to the other datastore while it ticks on under the same QEMU, a restarted agent
// finds them there, a suspended VM's and a powered-off VM's files move too, and a datastore the
// host does not mount, a disk with snapshots and a move that fails all fail the task with the
// reason, leaving the files where they were and the VM's other operations working. The provider's
// side of the protocol is also checked with hand-made agent reports.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine, migrateVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { deleteAllSnapshots, takeSnapshot } from "@/lib/engine/operations/vm-snapshots";
import { updateVirtualMachine } from "@/lib/engine/operations/vm-update";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { GUEST_READY_MARKER, checkoutTinyImage } from "@/lib/hypervisor/tiny-image";
import { diskInfo } from "@/lib/hypervisor/vm-runtime";
import { importKernelImage } from "@/lib/library/library-store";
import { createAgentProvider } from "@/lib/provider/agent-provider";
import { ProviderError } from "@/lib/provider/provider";
import { TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";
import { caCertHash } from "@/lib/spherelet/agent-command";
import type { MachineList, MachineStatus } from "@/lib/spherelet/machine-protocol";
import { CLUSTER, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const HOST = "store-1";
const VM = "mover";
let kube: KubeHarness;
let root: string;
let token: string;
let agent: ChildProcess;
let agentOutput = "";
const dirs = { gold: "", silver: "" };
const runDir = () => path.join(root, "run");

function startAgent() {
  agentOutput = "";
  agent = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${kube.server.port}`, "--token", token, "--name", HOST, "--datastore", dirs.gold, "--datastore", `silver=${dirs.silver}`, "--run-dir", runDir(), "--cpus", "2", "--memory", "4", "--ca-cert-hash", caCertHash(kube.server.certificateAuthorityPem)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  agent.stdout!.on("data", (chunk: Buffer) => ((agentOutput += chunk.toString()), process.env.DEBUG_AGENT && process.stderr.write(chunk)));
  agent.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
}

async function stopAgent() {
  const exited = new Promise((resolve) => agent.once("exit", resolve));
  agent.kill("SIGKILL");
  await exited;
}

const machine = async () =>
  (await kube.pool.query<{ id: string; generation: number; spec: { datastore: string }; status: MachineStatus }>(`SELECT id, generation, spec, status FROM agent_machines WHERE owner_key = $1`, [`${NAMESPACE}/${VM}`])).rows[0]!;
const vmDir = (datastore: keyof typeof dirs, id: string) => path.join(dirs[datastore], "vms", id);
const qemuPid = async (id: string) => runningPid(path.join(runDir(), id));
const serialLog = async (id: string) => (await readFile(path.join(vmDir("silver", id), "serial.log"), "utf8").catch(() => null)) ?? (await readFile(path.join(vmDir("gold", id), "serial.log"), "utf8").catch(() => ""));
const ticks = (log: string) => [...log.matchAll(/skylight-guest tick (\d+)/g)].map((match) => Number(match[1]));
const lastTick = async (id: string) => Math.max(0, ...ticks(await serialLog(id)));

const conditions = async () => ((await vmStatus(kube.pool, VM))?.status.conditions ?? []).map(({ type, status, reason, message }) => ({ type, status, reason, message }));
const condition = async (type: string) => (await conditions()).find((candidate) => candidate.type === type);

const taskOf = (taskId: string) =>
  waitFor(async () => {
    const { rows } = await kube.pool.query<{ state: string; error: string | null }>(`SELECT state, error FROM tasks WHERE id = $1 AND state IN ('success', 'error')`, [taskId]);
    return rows[0];
  }, "the task to end", 60_000);

const migrateStorage = async (datastore: string) => taskOf((await migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: VM, datastore }, kube.pool)).taskId);

async function setPower(powerState: "PoweredOn" | "PoweredOff" | "Suspended") {
  const { taskId } = await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: VM, powerState }, kube.pool);
  expect((await taskOf(taskId)).error).toBeNull();
  await waitFor(async () => (await machine()).status.powerState === powerState, `the VM ${powerState}`, 30_000);
}

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  root = await mkdtemp(path.join(tmpdir(), "skylight-storage-vmotion-"));
  [dirs.gold, dirs.silver] = [path.join(root, "gold"), path.join(root, "silver")];
  process.env.SKYLIGHT_DATA_DIR = path.join(root, "skylight");
  const image = await checkoutTinyImage();
  await importKernelImage({ name: TINY_IMAGE_NAME, os: "tiny", kernel: image.kernel, initrd: image.initrd, replace: true, actor: OPERATOR, pool: kube.pool });
  token = (await addAgentHost(OPERATOR, { name: HOST, cluster: CLUSTER, datastore: "gold", otherDatastores: ["silver"] }, kube.pool)).token;
  // Another host of the cluster with a datastore store-1 does not mount; its agent (played by hand) reports its space.
  const otherToken = (await addAgentHost(OPERATOR, { name: "store-2", cluster: CLUSTER, datastore: "bronze" }, kube.pool)).token;
  const bronze = { datastores: [{ name: "bronze", capacityGiB: 100, usedGiB: 1 }] };
  expect((await kube.request("PUT", "/spherelet/v1/hosts/store-2/datastore", { token: otherToken, body: JSON.stringify(bronze) })).status).toBe(204);
  startAgent();
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: VM, spec: vmSpec({ imageName: TINY_IMAGE_NAME, storageClass: "gold", className: "best-effort-xsmall", powerState: "PoweredOn" }) }, kube.pool);
  await waitFor(async () => (await machine())?.status.ipAddress === "10.0.2.15", "the guest's address", 60_000);
}, 120_000);

afterAll(async () => {
  agent?.kill("SIGKILL");
  for (const id of await readdir(runDir()).catch(() => [])) {
    const pid = await runningPid(path.join(runDir(), id));
    if (pid) process.kill(pid, "SIGKILL");
  }
  await rm(root, { recursive: true, force: true });
  await kube?.stopKube();
});

test("the agent reports each datastore's space, which Skylight shows on the datastores", async () => {
  await waitFor(async () => {
    const { rows } = await kube.pool.query<{ free: number | null }>(`SELECT (status->>'freeGiB')::float8 AS free FROM resources WHERE kind = 'Datastore' AND name IN ('gold', 'silver', 'bronze')`);
    return rows.length === 3 && rows.every((row) => (row.free ?? 0) > 0);
  }, "the datastores' free space on their status", 30_000);
  const provider = createAgentProvider({ db: kube.pool });
  expect((await provider.findHost(HOST))?.datastores).toEqual(["gold", "silver"]);
  expect(await provider.findDatastore("silver")).toMatchObject({ hosts: [HOST], capacityGiB: expect.any(Number) });
  expect((await provider.performance(new Date())).datastores.map((datastore) => datastore.name)).toEqual(["bronze", "gold", "silver"]);
});

test("a running VM's files move to the host's other datastore while its guest ticks on under the same QEMU; disk I/O is still counted, and the disk grows there", async () => {
  const { id, status } = await machine();
  const pid = await qemuPid(id);
  expect(pid).toBe(status.pid);
  expect(status.datastore).toBe("gold");
  expect(status.counters?.diskReadBytes).toBeGreaterThan(0);
  await waitFor(async () => (await lastTick(id)) >= 1, "the guest ticking", 20_000);
  const tickBefore = await lastTick(id);

  expect(await migrateStorage("silver")).toEqual({ state: "success", error: null });
  const tickAfter = await lastTick(id);
  expect(tickAfter).toBeGreaterThanOrEqual(tickBefore);
  expect(await qemuPid(id)).toBe(pid);
  expect(existsSync(vmDir("gold", id))).toBe(false);
  expect((await readdir(vmDir("silver", id))).sort()).toEqual(["disk.qcow2", "machine.json", "serial.log"]);
  // QEMU writes the new disk and the new log, and holds nothing of the old directory.
  expect(execFileSync("ls", ["-l", `/proc/${pid}/fd`], { encoding: "utf8" })).not.toContain(vmDir("gold", id));
  expect(await createAgentProvider({ db: kube.pool }).findVm(`${NAMESPACE}/${VM}`)).toMatchObject({ datastore: "silver", powerState: "PoweredOn", operation: null });
  expect(await condition("Synced")).toMatchObject({ status: "True" });
  expect(await condition("Ready")).toMatchObject({ status: "True" });

  await waitFor(async () => (await lastTick(id)) > tickAfter, "the next tick, in the moved log", 20_000);
  const log = await readFile(path.join(vmDir("silver", id), "serial.log"), "utf8");
  expect(log.split(GUEST_READY_MARKER)).toHaveLength(2);
  expect(ticks(log)).toEqual(ticks(log).map((_, index) => ticks(log)[0]! + index));
  const moved = await machine();
  expect(moved.status).toMatchObject({ datastore: "silver", pid });
  // The disk's block node was renamed by the move: its I/O is still counted.
  expect(moved.status.counters?.diskReadBytes).toBeGreaterThanOrEqual(status.counters!.diskReadBytes);

  const current = await kube.pool.query<{ rv: string; spec: Record<string, unknown> }>(`SELECT resource_version::text AS rv, spec FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [VM]);
  await updateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: VM, labels: {}, annotations: {}, spec: { ...current.rows[0]!.spec, advanced: { bootDiskCapacity: "2Gi" } }, expectedResourceVersion: current.rows[0]!.rv }, kube.pool);
  await waitFor(async () => (await machine()).status.diskGiB === 2, "the disk grown", 30_000);
  expect((await diskInfo(path.join(vmDir("silver", id), "disk.qcow2"))).sizeGiB).toBe(2);
}, 60_000);

test("an agent restarted finds the VM's files on the datastore that holds them and adopts its QEMU", async () => {
  const { id } = await machine();
  const pid = await qemuPid(id);
  await stopAgent();
  startAgent();
  await waitFor(async () => agentOutput.includes(`adopted the running VM (pid ${pid})`), "the restarted agent adopting the QEMU", 30_000);
  await waitFor(async () => (await machine()).status.pid === pid && (await machine()).status.datastore === "silver", "the VM reported on silver", 30_000);
  expect(existsSync(vmDir("gold", id))).toBe(false);
}, 60_000);

test("a suspended VM's disk and saved state move, and it resumes from them; a powered-off VM's files move too", async () => {
  const { id } = await machine();
  await setPower("Suspended");
  const tickAtSuspend = await lastTick(id);
  expect(await migrateStorage("gold")).toEqual({ state: "success", error: null });
  expect(existsSync(vmDir("silver", id))).toBe(false);
  expect((await readdir(vmDir("gold", id))).sort()).toEqual(["disk.qcow2", "machine.json", "serial.log", "suspended.state"]);
  await setPower("PoweredOn");
  await waitFor(async () => (await lastTick(id)) > tickAtSuspend, "the resumed guest ticking on", 20_000);
  expect((await serialLog(id)).split(GUEST_READY_MARKER)).toHaveLength(2);

  await setPower("PoweredOff");
  expect(await migrateStorage("silver")).toEqual({ state: "success", error: null });
  expect(existsSync(vmDir("gold", id))).toBe(false);
  expect((await readdir(vmDir("silver", id))).sort()).toEqual(["disk.qcow2", "machine.json", "serial.log"]);
  expect((await machine()).status).toMatchObject({ datastore: "silver", powerState: "PoweredOff", lastError: null });
}, 60_000);

test("a datastore the host does not mount and a disk with snapshots are refused with the reason, nothing moved; the VM's other operations go on", async () => {
  const { id } = await machine();
  const files = async () => (await readdir(vmDir("silver", id))).sort();
  const before = await files();

  expect(await migrateStorage("bronze")).toEqual({
    state: "error",
    error: `Cannot migrate the storage of ${VM} to bronze: Datastore bronze is not mounted on host ${HOST}, where the VM runs: Storage vMotion moves its disks only to another datastore of that host (gold, silver)`,
  });
  expect(await condition("Synced")).toMatchObject({ status: "False", reason: "StorageMigrationRefused" });
  // Refused before anything was asked of the agent.
  expect((await machine()).spec.datastore).toBe("silver");

  // Back to where the disks are (nothing to move), then a snapshot, and the move is refused for it.
  expect(await migrateStorage("silver")).toEqual({ state: "success", error: null });
  expect(await condition("Synced")).toMatchObject({ status: "True" });
  const snapshot = await takeSnapshot(OPERATOR, { namespace: NAMESPACE, name: VM, snapshotName: "Before upgrade", memory: false }, kube.pool);
  expect((await taskOf(snapshot.taskId)).error).toBeNull();
  expect(await migrateStorage("gold")).toEqual({
    state: "error",
    error: `Cannot migrate the storage of ${VM} to gold: The VM's disk holds snapshots (Before upgrade): they live inside the disk and would be lost in the move. Delete the VM's snapshots, then migrate its storage.`,
  });
  expect(await files()).toEqual(before);
  expect(existsSync(vmDir("gold", id))).toBe(false);

  // Refused, the VM is not stuck: it powers on, on silver.
  await setPower("PoweredOn");
  expect(await condition("Synced")).toMatchObject({ status: "False", reason: "StorageMigrationRefused" });
  expect((await machine()).status.datastore).toBe("silver");
}, 60_000);

test("a move that fails on the host leaves the running VM on its source disk, and the task fails with the agent's reason", async () => {
  const { id } = await machine();
  const pid = await qemuPid(id);
  expect(await migrateStorage("silver")).toEqual({ state: "success", error: null });
  expect((await taskOf((await deleteAllSnapshots(OPERATOR, { namespace: NAMESPACE, name: VM }, kube.pool)).taskId)).error).toBeNull();
  // The target datastore's vms directory is a file: the agent cannot make the VM's directory there.
  const goldVms = path.join(dirs.gold, "vms");
  await rm(goldVms, { recursive: true, force: true });
  await writeFile(goldVms, "not a directory");
  try {
    const task = await migrateStorage("gold");
    expect(task.state).toBe("error");
    expect(task.error).toMatch(new RegExp(`^Cannot migrate the storage of ${VM} to gold: ENOTDIR: not a directory, mkdir '${goldVms}/${id}'$`));
  } finally {
    await rm(goldVms, { force: true });
    await mkdir(goldVms);
  }
  expect(await qemuPid(id)).toBe(pid);
  await waitFor(async () => (await machine()).spec.datastore === "silver" && (await machine()).status.lastError === null, "the machine's spec back on silver", 20_000);
  expect((await machine()).status).toMatchObject({ datastore: "silver", powerState: "PoweredOn", pid });
  expect(await condition("Synced")).toMatchObject({ status: "False", reason: "StorageMigrationRefused" });
}, 60_000);

describe("the agent provider's side, with hand-made agent reports", () => {
  test("the move is under way, with the agent's progress, until the machine's status names the new datastore; a failed attempt is reported once", async () => {
    const agents = createAgentProvider({ db: kube.pool });
    const handToken = (await addAgentHost(OPERATOR, { name: "store-hand", cluster: CLUSTER, datastore: "gold", otherDatastores: ["silver"] }, kube.pool)).token;
    const vm = await agents.createVm({ ownerKey: `${NAMESPACE}/by-hand`, host: "store-hand", datastore: "gold", cpus: 1, memoryMiB: 128, diskGiB: 1, imageName: TINY_IMAGE_NAME });
    const listed = async () => ((await kube.request("GET", "/spherelet/v1/hosts/store-hand/machines", { token: handToken })).json() as unknown as MachineList).machines.find((entry) => entry.id === vm.id)!;
    const report = async (extra: Partial<MachineStatus>) => {
      const body: MachineStatus = { observedGeneration: (await listed()).generation, provisioned: true, deleted: false, powerState: "PoweredOn", operation: null, cpus: 1, memoryMiB: 128, diskGiB: 1, ipAddress: null, lastError: null, snapshots: [], currentSnapshotId: null, lastRequest: null, pid: 1, serialTail: "", counters: null, migration: null, datastore: "gold", ...extra };
      expect((await kube.request("PUT", `/spherelet/v1/hosts/store-hand/machines/${vm.id}/status`, { token: handToken, body: JSON.stringify(body) })).status).toBe(204);
    };
    await report({});

    await agents.relocateVmStorage(vm.id, "silver");
    expect((await listed()).spec.datastore).toBe("silver");
    expect(await agents.findVm(`${NAMESPACE}/by-hand`)).toMatchObject({ datastore: "gold", operation: { name: "relocate", progress: 0 } });
    await report({ observedGeneration: 1, operation: { name: "Moving its files to silver", progress: 42 } });
    expect((await agents.findVm(`${NAMESPACE}/by-hand`))?.operation).toMatchObject({ name: "relocate", progress: 42 });
    // Asked again while it runs: nothing new is asked.
    const generation = (await listed()).generation;
    await agents.relocateVmStorage(vm.id, "silver");
    expect((await listed()).generation).toBe(generation);

    await report({ lastError: "No space left on device" });
    await expect(agents.relocateVmStorage(vm.id, "silver")).rejects.toThrow(new ProviderError("No space left on device", false));
    expect((await listed()).spec.datastore).toBe("gold");
    await report({});
    await agents.relocateVmStorage(vm.id, "silver");
    expect((await listed()).spec.datastore).toBe("silver");
    await report({ datastore: "silver" });
    expect(await agents.findVm(`${NAMESPACE}/by-hand`)).toMatchObject({ datastore: "silver", operation: null, lastError: null });
  });
});
