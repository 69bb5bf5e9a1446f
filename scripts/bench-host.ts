// Measures a real host the way Skylight drives one: a throwaway embedded PostgreSQL, the engine and
// the Kubernetes API server in this process, and one Skylight agent (`npm run spherelet`) as its
// own process on this machine's QEMU (KVM where /dev/kvm exists, else TCG). N VMs of the tiny
// image are created powered on one after another; each is timed from the engine's write of its
// desired state to its guest's ready marker reported back in the VM's status (its address). Then
// the N guests idle together: the agent's and each QEMU's CPU share and resident memory.
// Progress goes to stderr; stdout carries one JSON line.
// Usage: npm run -s bench:host -- [--vms 5] [--idle-seconds 20] [--pg-port 5893]
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import { accelerator } from "@/lib/hypervisor/qemu-vm";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { getPool } from "@/lib/db/pool";
import { startEngine } from "@/lib/engine/engine";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { insertObject } from "@/lib/engine/object-store";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { checkoutTinyImage } from "@/lib/hypervisor/tiny-image";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { startKubeApiServer } from "@/lib/kube/kube-server";
import { createAgentProvider } from "@/lib/provider/agent-provider";
import { routeProviders } from "@/lib/provider/routed-provider";
import { demoInventory, TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";
import { createSimulator } from "@/lib/simulator/simulator";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

const progress = (message: string) => process.stderr.write(`[bench:host] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: { vms: { type: "string", default: "5" }, "idle-seconds": { type: "string", default: "20" }, "pg-port": { type: "string", default: "5893" } },
  strict: true,
});
const [vms, idleSeconds, pgPort] = [Number(args.vms), Number(args["idle-seconds"]), Number(args["pg-port"])];
if (!Number.isInteger(vms) || vms < 1 || !(idleSeconds > 0) || !Number.isInteger(pgPort)) {
  console.error("usage: npm run -s bench:host -- [--vms N (≥ 1)] [--idle-seconds S (> 0)] [--pg-port PORT]");
  process.exit(2);
}

const ACTOR: OperationActor = { id: "bench", username: "bench", role: "operator" };
const CLUSTER = "bench-lab";
const NAMESPACE = "bench";
const HOST = "bench-host";
const DATASTORE = "bench-datastore";
const TICKS_PER_SECOND = 100;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** CPU seconds (user + system) and resident MiB of a process, from /proc. */
function processUsage(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const rssKib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, rssMiB: rssKib / 1024 };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function seedInventory(pool: pg.Pool) {
  for (const object of demoInventory().filter((candidate) => candidate.kind === "VirtualMachineClass" || candidate.kind === "VirtualMachineImage")) {
    await insertObject(pool, { apiVersion: KIND_API_VERSIONS[object.kind], kind: object.kind, namespace: "", name: object.name, spec: object.spec, status: object.status });
  }
  await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Datacenter, kind: "Datacenter", namespace: "", name: "dc-bench", spec: {} });
  await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.Cluster,
    kind: "Cluster",
    namespace: "",
    name: CLUSTER,
    spec: { datacenter: "dc-bench", drs: { enabled: false, automationLevel: "manual", migrationThreshold: 3 }, ha: { enabled: false, hostFailuresToTolerate: 1 }, overcommit: { cpu: 4, memory: 1.25 } },
  });
  await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Namespace, kind: "Namespace", namespace: "", name: NAMESPACE, labels: { [CLUSTER_LABEL]: CLUSTER }, spec: { cluster: CLUSTER, limits: {} } });
}

const image = await checkoutTinyImage();
const scratch = await mkdtemp(path.join(tmpdir(), "skylight-bench-host-"));
const datastoreDir = path.join(scratch, "datastore");
const cleanups: (() => Promise<unknown>)[] = [];
let agent: ChildProcess | undefined;
try {
  // A directory of its own: PostgreSQL runs as another user, who cannot enter the scratch directory.
  const postgresDir = await mkdtemp(path.join(tmpdir(), "skylight-bench-host-pg-"));
  const postgres = await startEmbeddedPostgres({ dataDir: postgresDir, port: pgPort, ephemeral: true });
  cleanups.unshift(() => rm(postgresDir, { recursive: true, force: true }));
  cleanups.unshift(() => postgres.stop());
  await ensureDatabase(postgres.serverUrl, "skylight");
  const databaseUrl = postgres.urlFor("skylight");
  process.env.DATABASE_URL = databaseUrl;
  await migrate(databaseUrl);
  const pool = getPool();
  cleanups.unshift(() => pool.end());
  await seedInventory(pool);

  const provider = routeProviders(createSimulator({ db: pool, speed: 1, failureRate: 0 }), createAgentProvider({ db: pool }));
  const engine = startEngine({ databaseUrl, pool, provider, config: readEngineConfig(), log: () => {} });
  cleanups.unshift(() => engine.stop());
  const server = await startKubeApiServer({ pool, connectionString: databaseUrl, port: 0, host: "127.0.0.1", hostnames: [] });
  cleanups.unshift(() => server.close());

  const { token } = await addAgentHost(ACTOR, { name: HOST, cluster: CLUSTER, datastore: DATASTORE }, pool);
  // What `npm run images -- build-tiny` leaves on a datastore.
  await mkdir(path.join(datastoreDir, "images", TINY_IMAGE_NAME), { recursive: true });
  await cp(image.kernel, path.join(datastoreDir, "images", TINY_IMAGE_NAME, "vmlinuz"));
  await cp(image.initrd, path.join(datastoreDir, "images", TINY_IMAGE_NAME, "initrd.img"));
  agent = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${server.port}`, "--token", token, "--name", HOST, "--datastore", datastoreDir, "--run-dir", path.join(scratch, "run"), "--port", "0", "--ca-cert-hash", caCertHash(server.certificateAuthorityPem)],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  await until("the agent's Node", 60_000, async () => (await pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 AND status->>'connectionState' = 'connected'`, [HOST])).rowCount);
  progress(`agent ${HOST} connected (pid ${agent.pid})`);

  const bootMs: number[] = [];
  for (let index = 0; index < vms; index++) {
    const name = `bench-${index}`;
    const started = performance.now();
    await createVirtualMachine(ACTOR, { namespace: NAMESPACE, name, spec: { className: "best-effort-xsmall", imageName: TINY_IMAGE_NAME, storageClass: DATASTORE, powerState: "PoweredOn", hardware: { cpus: 1, memory: "128Mi" } } }, pool);
    const address = await until(`${name}'s guest`, 120_000, async () => {
      const { rows } = await pool.query<{ ip: string | null }>(`SELECT status->'network'->>'primaryIP4' AS ip FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name]);
      return rows[0]?.ip;
    });
    bootMs.push(performance.now() - started);
    progress(`${name} ready in ${Math.round(bootMs.at(-1)!)} ms at ${address}`);
  }

  const { rows: machines } = await pool.query<{ pid: number }>(`SELECT (status->>'pid')::int AS pid FROM agent_machines`);
  const pids = [agent.pid!, ...machines.map((machine) => machine.pid)];
  await sleep(5_000);
  const before = pids.map(processUsage);
  await sleep(idleSeconds * 1000);
  const after = pids.map(processUsage);
  const cpuPercent = after.map((usage, index) => ((usage.cpuSeconds - before[index]!.cpuSeconds) / idleSeconds) * 100);
  const [agentCpu, ...qemuCpu] = cpuPercent;
  const [agentUsage, ...qemuUsage] = after;

  process.stdout.write(
    `${JSON.stringify({
      bench: "host",
      accelerator: accelerator(),
      vms,
      guestMemoryMiB: 128,
      powerOnToReadyMs: { p50: Math.round(percentile(bootMs, 50)), p95: Math.round(percentile(bootMs, 95)), max: Math.round(Math.max(...bootMs)) },
      idleSeconds,
      agent: { cpuPercent: round(agentCpu!, 2), cpuPercentPerVm: round(agentCpu! / vms, 3), rssMiB: round(agentUsage!.rssMiB), rssMiBPerVm: round(agentUsage!.rssMiB / vms) },
      qemuPerVm: { cpuPercentMean: round(mean(qemuCpu), 2), cpuPercentMax: round(Math.max(...qemuCpu), 2), rssMiBMean: round(mean(qemuUsage.map((usage) => usage.rssMiB))) },
    })}\n`,
  );
} finally {
  agent?.kill("SIGKILL");
  // The VMs outlive their agent by design: stop them here.
  const { execFileSync } = await import("node:child_process");
  try {
    execFileSync("pkill", ["-9", "-f", datastoreDir]);
  } catch {
    // none left
  }
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
}
// The API server's access-change listener would go on reconnecting to the stopped database.
process.exit(process.exitCode ?? 0);
