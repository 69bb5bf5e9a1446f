// Two real host agents (`npm run spherelet`, as separate processes) joined to a real API server
// and engine: they register as Nodes with Leases, a VM placed on one boots the tiny image under
// QEMU (fetched by the agent from the content library, where the test imported it), and the agent
// can die by kill -9 and come back without the VM ever stopping. Disk and ISO images imported into
// the library boot through the firmware. The running VM moves live between the agents (vMotion, and
// maintenance mode's evacuation), and when an agent dies for good its isolation watchdog kills its
// QEMU and vSphere HA restarts the VM on the other agent from the shared datastore.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { GUEST_READY_MARKER } from "@/lib/hypervisor/tiny-image";
import { addAgentHost, enterMaintenanceMode, exitMaintenanceMode } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine, deleteVirtualMachine, migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { updateVirtualMachine } from "@/lib/engine/operations/vm-update";
import { importUpload } from "@/lib/library/library-store";
import { TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { fetchImage } from "@/lib/spherelet/agent/image-fetch";
import { IMAGES_PATH_PREFIX } from "@/lib/spherelet/machine-protocol";
import { SkylightApi } from "@/lib/spherelet/agent/skylight-api";
import { writeBootDisk, writeBootIso } from "@/lib/testing/boot-images";
import { CLUSTER, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor } from "@/lib/testing/engine-harness";
import { startKubeApiServer } from "@/lib/kube/kube-server";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { agentLab, type AgentLab } from "@/lib/testing/qemu-guests";

let kube: KubeHarness;
let lab: AgentLab;
let datastoreDir: string;
/** Each agent's own run directory (QEMU's pid files and sockets) is `<runRoot>/<host>`. */
let runRoot: string;
const tokens: Record<string, string> = {};
const agents = new Map<string, ChildProcess>();

/** Starts `npm run spherelet` for the host, as its Add Host command does (tsx as a loader, so the pid is the agent's). */
const agentOutput = new Map<string, string>();

function startAgentProcess(name: string): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${kube.server.port}`, "--token", tokens[name]!, "--name", name, "--datastore", datastoreDir, "--run-dir", path.join(runRoot, name), "--cpus", "2", "--memory", "4", "--port", "0", "--ca-cert-hash", caCertHash(kube.server.certificateAuthorityPem)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  agentOutput.set(name, "");
  child.stdout!.on("data", (chunk: Buffer) => (agentOutput.set(name, agentOutput.get(name) + chunk.toString()), process.env.DEBUG_AGENT && process.stderr.write(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  agents.set(name, child);
  return child;
}

const machineOf = async (ownerKey: string) =>
  (await kube.pool.query<{ id: string; host: string; status: { pid?: number; serialTail?: string; powerState?: string; ipAddress?: string | null; counters?: { cpuSeconds: number; rssBytes: number } | null } }>(`SELECT id, host, status FROM agent_machines WHERE owner_key = $1`, [ownerKey])).rows[0];

/** The pid of the machine's QEMU on whichever agent runs it, or null. */
async function qemuPid(id: string): Promise<number | null> {
  for (const host of await readdir(runRoot).catch(() => [])) {
    const pid = await runningPid(path.join(runRoot, host, id));
    if (pid) return pid;
  }
  return null;
}

const vmKey = (name: string) => ({ namespace: NAMESPACE, name });

/** What a host's agent, its watchdog and the machine table say, for a failure that only a loaded CI machine shows. */
async function hostPicture(host: string, ownerKey: string): Promise<string> {
  const watchdog = await readFile(path.join(runRoot, host, "watchdog.log"), "utf8").catch(() => "(no watchdog log)");
  const machines = (await kube.pool.query(`SELECT id, host, spec->>'powerState' AS desired, status->>'powerState' AS observed, status->>'pid' AS pid FROM agent_machines WHERE owner_key = $1`, [ownerKey])).rows;
  return JSON.stringify({ host, machines, watchdog, agent: agentOutput.get(host)?.slice(-3_000) });
}
const vmObserved = async (name: string) => (await vmStatus(kube.pool, name))?.status as { powerState?: string; host?: string; network?: { primaryIP4?: string } } | undefined;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  lab = await agentLab(kube.pool);
  ({ datastoreDir, runRoot } = lab);
  for (const name of ["lab-1", "lab-2"]) {
    tokens[name] = (await addAgentHost(OPERATOR, { name, cluster: CLUSTER, datastore: "lab-shared" }, kube.pool)).token;
    startAgentProcess(name);
  }
}, 120_000);

afterAll(async () => {
  for (const child of agents.values()) child.kill("SIGKILL");
  for (const entry of await readdir(path.join(datastoreDir, "vms")).catch(() => [])) {
    const pid = await qemuPid(entry);
    if (pid) process.kill(pid, "SIGKILL");
  }
  await lab?.remove();
  await kube?.stopKube();
});

test("both agents register: kubectl lists their Nodes Ready with the hypervisor, and renews their Leases", async () => {
  await waitFor(async () => {
    const { stdout } = await kube.kubectl(["get", "nodes", "-o", "wide"]);
    return /^lab-1\s+Ready\s/m.test(stdout) && /^lab-2\s+Ready\s/m.test(stdout) && /qemu:\/\/\d/.test(stdout);
  }, "two Ready Nodes", 60_000);
  const lease = JSON.parse((await kube.kubectl(["get", "lease", "lab-1", "-n", "kube-node-lease", "-o", "json"])).stdout) as { spec: { renewTime: string; holderIdentity: string } };
  expect(lease.spec.holderIdentity).toBe("lab-1");
  await waitFor(async () => {
    const renewed = JSON.parse((await kube.kubectl(["get", "lease", "lab-1", "-n", "kube-node-lease", "-o", "json"])).stdout) as { spec: { renewTime: string } };
    return renewed.spec.renewTime !== lease.spec.renewTime;
  }, "the Lease renewed", 30_000);
  const hosts = await kube.kubectl(["get", "hosts"]);
  expect(hosts.stdout).toMatch(/^lab-1\s+test-cluster\s+connected\s/m);
}, 90_000);

test("a VM placed on a real host boots the tiny image, which its agent fetched from the content library: the guest's marker in its serial log, its address in the VM's status", async () => {
  expect(existsSync(path.join(datastoreDir, "images", TINY_IMAGE_NAME))).toBe(false);
  await createVirtualMachine(OPERATOR, { ...vmKey("tiny-1"), spec: vmSpec({ imageName: TINY_IMAGE_NAME, storageClass: "lab-shared", className: "best-effort-xsmall", powerState: "PoweredOn" }) }, kube.pool);
  await waitFor(async () => (await vmObserved("tiny-1"))?.network?.primaryIP4 === "10.0.2.15", "the guest's address", 60_000);
  const status = await vmObserved("tiny-1");
  expect(status?.powerState).toBe("PoweredOn");
  expect(["lab-1", "lab-2"]).toContain(status?.host);
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);
  expect(machine?.status.serialTail).toContain(GUEST_READY_MARKER);
  // What the performance charts are fed from: QEMU's own CPU time and resident memory.
  expect(machine?.status.counters?.cpuSeconds).toBeGreaterThan(0);
  expect(machine?.status.counters?.rssBytes).toBeGreaterThan(16 * 1024 * 1024);
  expect(agentOutput.get(status!.host!)).toContain(`fetched the image ${TINY_IMAGE_NAME}`);
  expect((await readdir(path.join(datastoreDir, "images"))).sort()).toEqual([TINY_IMAGE_NAME]);
}, 90_000);

test("a host's token reads any library image's manifest and listed files, and nothing else; agents sharing a datastore keep one copy", async () => {
  const api = new SkylightApi(`https://127.0.0.1:${kube.server.port}`, tokens["lab-2"]!, kube.server.certificateAuthorityPem);
  try {
    const manifest = await api.expect<{ files: { name: string }[] }>([200], "GET", `${IMAGES_PATH_PREFIX}${TINY_IMAGE_NAME}`);
    expect(manifest.body.files.map((file) => file.name)).toEqual(["vmlinuz", "initrd.img"]);
    for (const path of ["manifest.json", "..%2F..%2Fetc%2Fpasswd", "vmlinuz/x"].map((file) => `${IMAGES_PATH_PREFIX}${TINY_IMAGE_NAME}/${file}`)) {
      expect((await api.send("GET", path)).status, path).toBe(404);
    }
    expect((await api.send("GET", `${IMAGES_PATH_PREFIX}..`)).status).toBe(404);
    expect((await kube.request("GET", `${IMAGES_PATH_PREFIX}${TINY_IMAGE_NAME}`, { as: "administrator" })).status).toBe(403);

    // Two agents on one datastore fetching at once: each downloads under its own partial name, one rename wins, nothing is left over.
    const shared = await mkdtemp(path.join(tmpdir(), "skylight-shared-datastore-"));
    try {
      await Promise.all([fetchImage(api, shared, TINY_IMAGE_NAME), fetchImage(api, shared, TINY_IMAGE_NAME)]);
      expect(await readdir(path.join(shared, "images"))).toEqual([TINY_IMAGE_NAME]);
      expect((await readdir(path.join(shared, "images", TINY_IMAGE_NAME))).sort()).toEqual(["initrd.img", "manifest.json", "vmlinuz"]);
      await expect(fetchImage(api, shared, "not-imported")).rejects.toThrow(/not in Skylight's content library/);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  } finally {
    api.close();
  }
}, 60_000);

test("a raw disk and an ISO imported into the library boot through the firmware: the disk's boot sector and the CD-ROM's boot image print on the serial log", async () => {
  const work = await mkdtemp(path.join(tmpdir(), "skylight-boot-images-"));
  try {
    await writeBootDisk(path.join(work, "disk.img"), "SKYLIGHT-DISK-BOOTED");
    await writeBootIso(path.join(work, "cd.iso"), "SKYLIGHT-CDROM-BOOTED");
    for (const [name, file] of [["boot-disk", "disk.img"], ["boot-cd", "cd.iso"]]) {
      await importUpload({ name: name!, os: null, fileName: file!, source: createReadStream(path.join(work, file!)), limitBytes: 1024 ** 3, actor: OPERATOR, pool: kube.pool });
      await createVirtualMachine(OPERATOR, { ...vmKey(`${name}-vm`), spec: vmSpec({ imageName: name, storageClass: "lab-shared", className: "best-effort-xsmall", powerState: "PoweredOn" }) }, kube.pool);
    }
    await waitFor(async () => (await machineOf(`${NAMESPACE}/boot-disk-vm`))?.status.serialTail?.includes("SKYLIGHT-DISK-BOOTED") === true, "the disk's boot sector", 60_000);
    await waitFor(async () => (await machineOf(`${NAMESPACE}/boot-cd-vm`))?.status.serialTail?.includes("SKYLIGHT-CDROM-BOOTED") === true, "the CD-ROM's boot image", 60_000);
    expect((await machineOf(`${NAMESPACE}/boot-disk-vm`))?.status.serialTail).toContain("Booting from Hard Disk");
    expect((await machineOf(`${NAMESPACE}/boot-cd-vm`))?.status.serialTail).toContain("Booting from DVD/CD");
  } finally {
    for (const name of ["boot-disk-vm", "boot-cd-vm"]) await deleteVirtualMachine(OPERATOR, vmKey(name), kube.pool).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}, 120_000);

test("Skylight's API server restarting changes nothing on the hosts: the agents carry on against the new one and the VM never stops", async () => {
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);
  const pid = await qemuPid(machine!.id);
  const port = kube.server.port;
  await kube.server.close();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  kube.server = await startKubeApiServer({ pool: kube.pool, connectionString: process.env.DATABASE_URL!, port, host: "127.0.0.1", hostnames: [] });
  const restartedAt = new Date();
  await waitFor(async () => {
    const { rows } = await kube.pool.query<{ renewed: boolean }>(
      `SELECT bool_and((spec->>'renewTime')::timestamptz > $1) AS renewed FROM resources WHERE kind = 'Lease' AND name IN ('lab-1', 'lab-2')`,
      [restartedAt],
    );
    return rows[0]?.renewed === true;
  }, "both agents renewing their Leases with the new server", 60_000);
  expect(await qemuPid(machine!.id)).toBe(pid);
  expect((await vmObserved("tiny-1"))?.powerState).toBe("PoweredOn");
}, 90_000);

test("kill -9 of the agent leaves the VM running; the restarted agent re-adopts the same QEMU and reports it unchanged", async () => {
  const host = (await vmObserved("tiny-1"))!.host!;
  const before = await machineOf(`${NAMESPACE}/tiny-1`);
  const pid = await qemuPid(before!.id);
  expect(pid).toBe(before!.status.pid);

  const agent = agents.get(host)!;
  const exited = new Promise((resolve) => agent.once("exit", resolve));
  agent.kill("SIGKILL");
  await exited;
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await qemuPid(before!.id)).toBe(pid);
  expect((await vmObserved("tiny-1"))?.powerState).toBe("PoweredOn");

  startAgentProcess(host);
  await waitFor(async () => {
    const { rows } = await kube.pool.query<{ renewed: boolean }>(
      `SELECT (spec->>'renewTime')::timestamptz > now() - interval '5 seconds' AS renewed FROM resources WHERE kind = 'Lease' AND name = $1`,
      [host],
    );
    return rows[0]?.renewed === true;
  }, "the restarted agent's heartbeat", 60_000);
  await waitFor(async () => agentOutput.get(host)!.includes(`adopted the running VM (pid ${pid})`), "the restarted agent adopting the QEMU", 30_000);
  expect((await machineOf(`${NAMESPACE}/tiny-1`))?.status.pid).toBe(pid);
  expect(await qemuPid(before!.id)).toBe(pid);
  expect((await vmObserved("tiny-1"))?.powerState).toBe("PoweredOn");
  // Never seen off, so never repaired.
  expect((await kube.pool.query(`SELECT 1 FROM events WHERE reason = 'VirtualMachine.driftRepaired'`)).rowCount).toBe(0);
}, 120_000);

test("a VM that died while its agent was down is reported powered off, and Skylight powers it on again as its desired state says", async () => {
  const host = (await vmObserved("tiny-1"))!.host!;
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);
  const pid = (await qemuPid(machine!.id))!;
  const agent = agents.get(host)!;
  const exited = new Promise((resolve) => agent.once("exit", resolve));
  agent.kill("SIGKILL");
  await exited;
  process.kill(pid, "SIGKILL");
  startAgentProcess(host);
  await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM events WHERE reason = 'VirtualMachine.driftRepaired' AND message LIKE 'tiny-1 %'`)).rowCount === 1, "the drift repaired", 60_000);
  await waitFor(async () => {
    const running = await qemuPid(machine!.id);
    const now = await machineOf(`${NAMESPACE}/tiny-1`);
    return running !== null && now?.status.pid === running && now.status.ipAddress === "10.0.2.15" && (await vmObserved("tiny-1"))?.powerState === "PoweredOn";
  }, "the VM booted again", 60_000);
  expect(await qemuPid(machine!.id)).not.toBe(pid);
}, 150_000);

/** When each new "tick" line the guest printed since it last booted was first seen, polled every 100 ms until stopped. */
function watchTicks(serialLog: string) {
  const seen: { tick: number; at: number }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      // The log runs on across boots (and hosts): only the ticks since the last ready line count.
      const log = (await readFile(serialLog, "utf8").catch(() => "")).split(GUEST_READY_MARKER).at(-1)!;
      for (const match of log.matchAll(/skylight-guest tick (\d+)/g)) {
        const tick = Number(match[1]);
        if (!seen.some((entry) => entry.tick === tick)) seen.push({ tick, at: Date.now() });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

const taskOf = async (taskId: string) =>
  waitFor(async () => {
    const { rows } = await kube.pool.query<{ state: string; error: string | null; result: string | null }>(`SELECT state, error, result FROM tasks WHERE id = $1 AND state IN ('success', 'error')`, [taskId]);
    return rows[0];
  }, "the task to end", 90_000);

test("vMotion between agents: the running guest moves live over the key-authenticated stream, its ticker never missing a beat, and the task records duration, memory sent and downtime", async () => {
  const from = (await vmObserved("tiny-1"))!.host!;
  const to = from === "lab-1" ? "lab-2" : "lab-1";
  const before = await machineOf(`${NAMESPACE}/tiny-1`);
  const serialLog = path.join(datastoreDir, "vms", before!.id, "serial.log");
  const boots = (await readFile(serialLog, "utf8")).split(GUEST_READY_MARKER).length;
  const ticks = watchTicks(serialLog);
  await waitFor(async () => ticks.seen.length >= 2, "the guest ticking", 30_000);

  const askedAt = Date.now();
  const { taskId } = await migrateVirtualMachine(OPERATOR, { ...vmKey("tiny-1"), host: to }, kube.pool);
  const task = await taskOf(taskId);
  const endedAt = Date.now();
  expect(task.error).toBeNull();
  expect(task.result).toMatch(/^Moved live in \d+\.\d s: \d+ MiB of memory sent, \d+ ms downtime\.$/);
  const downtimeMs = Number(/(\d+) ms downtime/.exec(task.result!)![1]);

  await waitFor(async () => (await vmObserved("tiny-1"))?.host === to, "the VM's host switched", 30_000);
  const after = await machineOf(`${NAMESPACE}/tiny-1`);
  expect(after!.id).toBe(before!.id);
  // One QEMU, now the destination's: the source's quit once the guest had arrived.
  expect(await runningPid(path.join(runRoot, from, before!.id))).toBeNull();
  const pid = await runningPid(path.join(runRoot, to, before!.id));
  expect(pid).not.toBeNull();
  expect(pid).not.toBe(before!.status.pid);
  await waitFor(async () => (await machineOf(`${NAMESPACE}/tiny-1`))?.status.pid === pid, "the destination reporting the VM", 30_000);

  // The guest ran on throughout: its ticks continue in order on the destination, no boot in between,
  // and no gap between two ticks across the move is longer than their 5 s period plus the downtime
  // and three seconds: on a loaded 2-core machine an emulated guest's timer and the serial reader
  // lag (a 7.7 s gap at load 9, with 140 ms of downtime).
  const lastBefore = ticks.seen.at(-1)!.tick;
  await waitFor(async () => ticks.seen.at(-1)!.tick >= lastBefore + 2, "two more ticks from the destination", 30_000);
  await ticks.stop();
  expect(ticks.seen.map((entry) => entry.tick)).toEqual(ticks.seen.map((_, index) => ticks.seen[0]!.tick + index));
  // The gaps that span the migration: those of the ticks printed since it was asked for.
  const gaps = ticks.seen.slice(1).flatMap((entry, index) => (entry.at > askedAt ? [entry.at - ticks.seen[index]!.at] : []));
  expect(gaps.length).toBeGreaterThanOrEqual(2);
  const timeline = JSON.stringify({ askedAt, endedAt, ticks: ticks.seen, result: task.result });
  expect(Math.max(...gaps), timeline).toBeLessThan(5_000 + downtimeMs + 3_000);
  expect((await readFile(serialLog, "utf8")).split(GUEST_READY_MARKER).length).toBe(boots);
  expect((await vmObserved("tiny-1"))?.powerState).toBe("PoweredOn");
}, 120_000);

test("a real host entering maintenance mode moves its running VM live to the other host, then enters it", async () => {
  const host = (await vmObserved("tiny-1"))!.host!;
  const other = host === "lab-1" ? "lab-2" : "lab-1";
  await enterMaintenanceMode(OPERATOR, { name: host }, kube.pool);
  await waitFor(async () => {
    const { rows } = await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND status->>'inMaintenanceMode' = 'true'`, [host]);
    return rows.length === 1;
  }, "the host in maintenance mode", 90_000);
  expect((await vmObserved("tiny-1"))?.host).toBe(other);
  expect((await vmObserved("tiny-1"))?.powerState).toBe("PoweredOn");
  const { rows } = await kube.pool.query<{ message: string }>(`SELECT message FROM events WHERE reason = 'VirtualMachine.migrated' ORDER BY time DESC LIMIT 1`);
  expect(rows[0]!.message).toMatch(new RegExp(`^Migrated tiny-1 from ${host} to ${other}: Moved live in`));
  await exitMaintenanceMode(OPERATOR, { name: host }, kube.pool);
}, 120_000);

test("vSphere HA: kill -9 of the agent of a running VM; its watchdog kills the QEMU before the Lease expires, the VM restarts on the other agent from the shared datastore, and the dead agent back runs no second copy", async () => {
  // Start from a settled inventory: both hosts connected and out of maintenance (the last test
  // left one), and the VM not moving, so the host killed is the one its QEMU runs on.
  await waitFor(async () => {
    const { rows } = await kube.pool.query(
      `SELECT 1 FROM resources WHERE kind = 'Host' AND name IN ('lab-1', 'lab-2') AND status->>'connectionState' = 'connected' AND coalesce(status->>'inMaintenanceMode', 'false') = 'false'`,
    );
    const vm = (await vmStatus(kube.pool, "tiny-1"))?.status as { migration?: unknown; host?: string; powerState?: string } | undefined;
    return rows.length === 2 && vm !== undefined && !vm.migration && vm.powerState === "PoweredOn" && vm.host !== undefined && (await machineOf(`${NAMESPACE}/tiny-1`))?.host === vm.host;
  }, "both hosts connected and the VM settled", 60_000);
  const failed = (await vmObserved("tiny-1"))!.host!;
  const survivor = failed === "lab-1" ? "lab-2" : "lab-1";
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);
  const oldPid = (await runningPid(path.join(runRoot, failed, machine!.id)))!;
  expect(oldPid).not.toBeNull();
  const agent = agents.get(failed)!;
  const exited = new Promise((resolve) => agent.once("exit", resolve));
  agent.kill("SIGKILL");
  await exited;

  // The isolation response: the QEMU dies within the window, with the agent gone.
  await waitFor(async () => (await runningPid(path.join(runRoot, failed, machine!.id))) === null, "the watchdog killing the cut-off VM", 60_000);
  // The watchdog logs right after the kill.
  await waitFor(async () => new RegExp(`killed QEMU ${oldPid} .*no heartbeat accepted for \\d+ s`).test(await readFile(path.join(runRoot, failed, "watchdog.log"), "utf8").catch(() => "")), "the watchdog's log line", 10_000);
  await waitFor(async () => {
    const { rows } = await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND status->>'connectionState' = 'notResponding'`, [failed]);
    return rows.length === 1;
  }, "the host not responding once its Lease expired", 60_000);
  // Running on the survivor as its agent reports it: HA books the survivor in the VM's status before
  // the machine moves there, and until then the machine still carries the dead host's last report.
  await waitFor(async () => {
    const observed = await vmObserved("tiny-1");
    const now = await machineOf(`${NAMESPACE}/tiny-1`);
    return observed?.host === survivor && observed.powerState === "PoweredOn" && now?.host === survivor && now.status.pid != null && now.status.ipAddress === "10.0.2.15";
  }, "the VM restarted on the other host", 90_000);
  // HA records its task once the restart call returns, which may be after the agent reports the VM running.
  await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM tasks WHERE operation = 'HA.restartVirtualMachine' AND target_name = 'tiny-1'`)).rowCount === 1, "HA's task", 30_000);
  const restartedPid = await runningPid(path.join(runRoot, survivor, machine!.id));
  expect(restartedPid, await hostPicture(survivor, `${NAMESPACE}/tiny-1`)).not.toBeNull();

  startAgentProcess(failed);
  await waitFor(async () => {
    const { rows } = await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND status->>'connectionState' = 'connected'`, [failed]);
    return rows.length === 1;
  }, "the failed host connected again", 60_000);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // Exactly one QEMU has the VM's disk open: the survivor's.
  const copies = execFileSync("pgrep", ["-f", path.join(datastoreDir, "vms", machine!.id, "disk.qcow2")], { encoding: "utf8" }).trim().split("\n");
  expect(copies).toEqual([String(restartedPid)]);
  expect((await vmObserved("tiny-1"))?.host).toBe(survivor);
}, 240_000);

/** Changes the VM's spec through the engine, as the console's Edit Settings and power actions do. */
async function changeSpec(name: string, change: Record<string, unknown>) {
  const current = await kube.pool.query<{ rv: string; spec: Record<string, unknown> }>(`SELECT resource_version::text AS rv, spec FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name]);
  await updateVirtualMachine(OPERATOR, { ...vmKey(name), labels: {}, annotations: {}, spec: { ...current.rows[0]!.spec, ...change }, expectedResourceVersion: current.rows[0]!.rv }, kube.pool);
}

const machineCpus = async (name: string) =>
  (await kube.pool.query<{ cpus: number; generation: number }>(`SELECT (spec->>'cpus')::int AS cpus, generation FROM agent_machines WHERE owner_key = $1`, [`${NAMESPACE}/${name}`])).rows[0];

test("more CPUs for a running VM wait for its next power-off, as microvm cannot hot-add them; powered off, the guest shuts down and the VM gets them", async () => {
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);
  const before = await machineCpus("tiny-1");
  await changeSpec("tiny-1", { hardware: { cpus: 3, memory: "2Gi" } });
  await waitFor(async () => {
    const conditions = (await vmStatus(kube.pool, "tiny-1"))?.status.conditions ?? [];
    return conditions.some((condition) => condition.type === "VirtualMachineClassConfigurationSynced" && condition.reason === "PowerOffRequired" && /cannot add them to a running VM/.test(condition.message));
  }, "the change waiting for a power-off", 30_000);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  // Asked for nothing meanwhile: no spec generation spent on a change QEMU cannot make.
  expect(await machineCpus("tiny-1")).toEqual(before);

  await changeSpec("tiny-1", { powerState: "PoweredOff" });
  await waitFor(async () => (await vmObserved("tiny-1"))?.powerState === "PoweredOff" && (await qemuPid(machine!.id)) === null, "the VM off", 60_000);
  expect((await machineOf(`${NAMESPACE}/tiny-1`))?.status.serialTail).toMatch(/reboot: Power down/);
  await waitFor(async () => (await machineCpus("tiny-1"))?.cpus === 3, "the machine given 3 CPUs", 30_000);
}, 120_000);

test("deleted from disk, its files are gone", async () => {
  const machine = await machineOf(`${NAMESPACE}/tiny-1`);

  await deleteVirtualMachine(OPERATOR, vmKey("tiny-1"), kube.pool);
  await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = 'tiny-1'`)).rowCount === 0, "the VM gone", 60_000);
  expect(await readdir(path.join(datastoreDir, "vms"))).not.toContain(machine!.id);
  expect((await kube.pool.query(`SELECT 1 FROM agent_machines WHERE id = $1`, [machine!.id])).rowCount).toBe(0);
}, 120_000);
