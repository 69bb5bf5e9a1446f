// Measures the engine's throughput: how fast one in-process engine (simulator at speed 0, so
// provider operations are instant) takes N new VMs from spec write to Ready, with per-VM latency
// percentiles, set against plain single-row INSERTs per second on the same PostgreSQL, which runs
// with the embedded server's production settings (durable commits). Also what it cost: statements
// and transactions per VM, and the CPU PostgreSQL and this process used while it ran.
// With --backlog the specs are all written first, with the engine stopped, and the engine is then
// timed converging them (a resync after an outage), apart from the API's cost of writing them.
// Usage: npm run -s bench:engine -- [--vms 10000] [--concurrency 32] [--clients 16] [--statements (the costliest, to stderr)] [--backlog];
// one JSON line on stdout.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { BenchExit, benchResources, runBench, throwawayDatabase } from "./bench-run";
import { migrate } from "@/lib/db/migrate";
import { startEngine } from "@/lib/engine/engine";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { insertObject } from "@/lib/engine/object-store";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { resyncAll } from "@/lib/engine/singleton-loops";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { demoInventory } from "@/lib/seed/demo-inventory";
import { createSimulator } from "@/lib/simulator/simulator";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

const VMS_PER_HOST = 40;
const HOSTS_PER_CLUSTER = 64;
const READY_TIMEOUT_MS = 15 * 60_000;
const INSERT_SECONDS = 3;
const ACTOR: OperationActor = { id: "bench", username: "bench", role: "operator" };
// The bench's own statements carry this mark after their first word (pg_stat_statements keeps no leading comment), so they are not counted as the engine's.
const OWN = "/* bench */";
const READY_COUNT = `SELECT ${OWN} count(*)::int AS n FROM resources
  WHERE kind = 'VirtualMachine' AND status->'conditions' @> '[{"type":"Ready","status":"True"}]'`;
// A create's task succeeds when its VM first reports Ready: counting tasks (small rows) is the cheap
// poll, so the bench takes little of the CPU it measures; READY_COUNT confirms the end.
const CREATED_COUNT = `SELECT ${OWN} count(*)::int AS n FROM tasks WHERE operation = 'VirtualMachine.create' AND state = 'success'`;

// Progress goes to stderr; stdout carries only the result line (libraries that log cannot spoil it).
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: {
    vms: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "32" },
    statements: { type: "boolean", default: false },
    backlog: { type: "boolean", default: false },
    clients: { type: "string", default: "16" },
  },
  strict: true,
});
const vmCount = Number(args.vms);
const concurrency = Number(args.concurrency);
// API clients writing specs at once, each waiting for its create to be acknowledged.
const CREATES_IN_FLIGHT = Number(args.clients);
if (!Number.isInteger(vmCount) || vmCount < 1 || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256 || !Number.isInteger(CREATES_IN_FLIGHT) || CREATES_IN_FLIGHT < 1 || CREATES_IN_FLIGHT > 150) {
  console.error("usage: npm run bench:engine -- [--vms N (≥ 1)] [--concurrency 1..256] [--clients 1..150] [--statements] [--backlog]");
  process.exit(2);
}
process.env.SKYLIGHT_SIM_SPEED = "0";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const pad = (value: number, width: number) => String(value).padStart(width, "0");


const run = benchResources();

async function openDatabase(): Promise<string> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const client = new pg.Client({ connectionString: external });
    await client.connect();
    try {
      const { rows } = await client.query<{ present: boolean }>(`SELECT to_regclass('resources') IS NOT NULL AS present`);
      if (rows[0]?.present) {
        const { rows: used } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM resources) AS any`);
        if (used[0]?.any) throw new BenchExit(2, "DATABASE_URL names a database with rows in `resources`; the benchmark needs an empty one (or unset DATABASE_URL for a throwaway server).");
      }
    } finally {
      await client.end();
    }
    progress("using the empty database at DATABASE_URL");
    await migrate(external);
    return external;
  }
  return throwawayDatabase(run, "skylight-bench-", progress);
}

interface ClusterPlan {
  name: string;
  namespace: string;
  datastore: string;
  hosts: number;
}

async function buildInventory(pool: pg.Pool, provider: ReturnType<typeof createSimulator>): Promise<ClusterPlan[]> {
  const hostCount = Math.ceil(vmCount / VMS_PER_HOST);
  const clusterCount = Math.ceil(hostCount / HOSTS_PER_CLUSTER);
  progress(`inventory: ${hostCount} hosts in ${clusterCount} clusters`);
  const catalog = demoInventory().filter((object) => object.kind === "VirtualMachineClass" || object.kind === "VirtualMachineImage");
  for (const object of catalog) {
    await insertObject(pool, { apiVersion: KIND_API_VERSIONS[object.kind], kind: object.kind, namespace: "", name: object.name, spec: object.spec, status: object.status });
  }
  await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Datacenter, kind: "Datacenter", namespace: "", name: "dc-bench", spec: {} });
  const clusters: ClusterPlan[] = [];
  let hostNumber = 0;
  for (let index = 1; index <= clusterCount; index++) {
    const plan: ClusterPlan = {
      name: `bench-cluster-${index}`,
      namespace: `bench-${index}`,
      datastore: `bench-vsan-${index}`,
      hosts: Math.min(HOSTS_PER_CLUSTER, hostCount - (index - 1) * HOSTS_PER_CLUSTER),
    };
    clusters.push(plan);
    await insertObject(pool, {
      apiVersion: KIND_API_VERSIONS.Cluster,
      kind: "Cluster",
      namespace: "",
      name: plan.name,
      spec: {
        datacenter: "dc-bench",
        drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 },
        ha: { enabled: true, hostFailuresToTolerate: 1 },
        overcommit: { cpu: 4, memory: 1.25 },
      },
    });
    await insertObject(pool, {
      apiVersion: KIND_API_VERSIONS.Datastore,
      kind: "Datastore",
      namespace: "",
      name: plan.datastore,
      labels: { [CLUSTER_LABEL]: plan.name },
      spec: { datacenter: "dc-bench", type: "vsan", capacityGiB: plan.hosts * 64 * 1024 },
    });
    await provider.addDatastore({ name: plan.datastore, capacityGiB: plan.hosts * 64 * 1024, otherUsedGiB: 0 });
    await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Namespace, kind: "Namespace", namespace: "", name: plan.namespace, spec: { cluster: plan.name, limits: {} } });
    for (let host = 0; host < plan.hosts; host++) {
      const name = `esx-${pad(++hostNumber, 4)}.bench`;
      await provider.addHost({ name, cluster: plan.name, cpuCores: 32, cpuMhz: 2600, memoryMiB: 512 * 1024, datastores: [plan.datastore] });
      await insertObject(pool, {
        apiVersion: KIND_API_VERSIONS.Host,
        kind: "Host",
        namespace: "",
        name,
        labels: { [CLUSTER_LABEL]: plan.name },
        spec: { cluster: plan.name, maintenanceMode: false },
      });
    }
  }
  await resyncAll(pool);
  return clusters;
}

/** VMs in creation order: each cluster gets 40 per host, interleaved so every cluster is busy at once. */
function vmPlacementOrder(clusters: ClusterPlan[]): ClusterPlan[] {
  const remaining = clusters.map((cluster) => cluster.hosts * VMS_PER_HOST);
  const order: ClusterPlan[] = [];
  while (order.length < vmCount) {
    clusters.forEach((cluster, index) => {
      if (order.length < vmCount && remaining[index]! > 0) {
        remaining[index]!--;
        order.push(cluster);
      }
    });
  }
  return order;
}

async function waitForHosts(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const { rows } = await pool.query<{ total: number; connected: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status->>'connectionState' = 'connected')::int AS connected
         FROM resources WHERE kind = 'Host'`,
    );
    const { total, connected } = rows[0]!;
    if (total > 0 && connected === total) return;
    if (Date.now() > deadline) throw new BenchExit(1, `only ${connected} of ${total} hosts connected after 5 minutes`);
    await sleep(100);
  }
}

async function createAll(pool: pg.Pool, order: ClusterPlan[]): Promise<void> {
  const width = Math.max(5, String(vmCount).length);
  let next = 0;
  const creator = async () => {
    while (next < order.length) {
      const index = next++;
      const cluster = order[index]!;
      await createVirtualMachine(
        ACTOR,
        {
          namespace: cluster.namespace,
          name: `vm-${pad(index + 1, width)}`,
          spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: cluster.datastore, powerState: "PoweredOn" },
        },
        pool,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CREATES_IN_FLIGHT, order.length) }, creator));
}

/** Waits until every VM is Ready; returns the seconds from `started` until the last spec was written. */
async function waitForReady(pool: pg.Pool, started: number, creating: Promise<void>): Promise<number> {
  let creationError: unknown;
  let created = false;
  let writeSeconds = 0;
  creating.then(
    () => {
      created = true;
      writeSeconds = (performance.now() - started) / 1000;
      progress(`all ${vmCount} VMs written after ${writeSeconds.toFixed(1)} s`);
    },
    (error: unknown) => (creationError = error),
  );
  let lastReport = started;
  for (;;) {
    if (creationError) throw creationError;
    const ready = (await pool.query<{ n: number }>(CREATED_COUNT)).rows[0]!.n;
    if (ready >= vmCount && created && (await pool.query<{ n: number }>(READY_COUNT)).rows[0]!.n >= vmCount) return writeSeconds;
    const now = performance.now();
    if (now - started > READY_TIMEOUT_MS) throw new BenchExit(1, `timed out after 15 minutes with ${ready} of ${vmCount} VMs Ready`);
    if (now - lastReport >= 5_000) {
      lastReport = now;
      progress(`${ready} of ${vmCount} Ready after ${((now - started) / 1000).toFixed(1)} s`);
    }
    await sleep(250);
  }
}

/** Each VM's time from its spec write (or from `since`, when the engine started later) to Ready. */
async function latencyPercentiles(pool: pg.Pool, since: Date): Promise<{ p50: number; p99: number }> {
  const { rows } = await pool.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM (ready.at - GREATEST(r.creation_timestamp, $1::timestamptz))) * 1000 AS ms
               FROM resources r
               CROSS JOIN LATERAL (
                 SELECT (c->>'lastTransitionTime')::timestamptz AS at
                   FROM jsonb_array_elements(r.status->'conditions') AS c
                  WHERE c->>'type' = 'Ready' AND c->>'status' = 'True') AS ready
              WHERE r.kind = 'VirtualMachine') AS latencies`,
    [since],
  );
  return { p50: Number(rows[0]!.p50), p99: Number(rows[0]!.p99) };
}

interface DatabaseCounters {
  /** Statements run by anyone but the bench, when pg_stat_statements is loaded; null when not. */
  statements: number | null;
  transactions: number;
  deadlocks: number;
}

/** The database's counters now; the first call also resets pg_stat_statements, so deltas start here. */
async function databaseCounters(pool: pg.Pool, reset = false): Promise<DatabaseCounters> {
  let statements: number | null = null;
  const loaded = (await pool.query<{ loaded: boolean }>(`SELECT ${OWN} 'pg_stat_statements' = ANY(string_to_array(current_setting('shared_preload_libraries'), ', ')) AS loaded`)).rows[0]!.loaded;
  if (loaded) {
    await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    if (reset) await pool.query(`SELECT ${OWN} pg_stat_statements_reset()`);
    const { rows } = await pool.query<{ calls: string | null }>(
      `SELECT ${OWN} sum(calls) AS calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%/* bench */%' AND query NOT IN ('BEGIN', 'COMMIT', 'ROLLBACK')`,
    );
    statements = Number(rows[0]?.calls ?? 0);
  }
  // pg_stat_database is updated when a transaction ends, and read from a snapshot taken per transaction.
  await pool.query(`SELECT ${OWN} pg_stat_clear_snapshot()`);
  const { rows } = await pool.query<{ transactions: string; deadlocks: string }>(
    `SELECT ${OWN} xact_commit + xact_rollback AS transactions, deadlocks FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { statements, transactions: Number(rows[0]!.transactions), deadlocks: Number(rows[0]!.deadlocks) };
}

/** With --statements: the statements that took the most time, to stderr, for finding what to make cheaper. */
async function printTopStatements(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ calls: string; total_ms: number; mean_ms: number; query: string }>(
    `SELECT ${OWN} calls, round(total_exec_time)::int AS total_ms, round(mean_exec_time::numeric, 3)::float8 AS mean_ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements WHERE query NOT LIKE '%/* bench */%' ORDER BY total_exec_time DESC LIMIT 20`,
  );
  for (const row of rows) progress(`${row.total_ms} ms in ${row.calls} calls (${row.mean_ms} ms each): ${row.query.slice(0, 220)}`);
}

/** With --statements: what PostgreSQL's backends were waiting on, sampled every 50 ms while the bench runs (to stderr). */
function sampleWaits(pool: pg.Pool): { stop(): Promise<void> } {
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const { rows } = await pool.query<{ wait: string; n: number }>(
        `SELECT ${OWN} COALESCE(wait_event_type || ':' || wait_event, 'on CPU') AS wait, count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND query NOT LIKE '%/* bench */%' GROUP BY 1`,
      );
      samples++;
      for (const row of rows) counts.set(row.wait, (counts.get(row.wait) ?? 0) + row.n);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await sampling;
      const sorted = [...counts].sort((a, b) => b[1] - a[1]);
      progress(`backends active, on average over ${samples} samples: ${sorted.map(([wait, n]) => `${wait} ${(n / samples).toFixed(2)}`).join(", ")}`);
    },
  };
}

/** CPU seconds used so far by the PostgreSQL server of this data directory (postmaster, its children, and those that exited), from /proc. */
function postgresCpuSeconds(dataDir: string | undefined): number | null {
  if (!dataDir || !existsSync("/proc/self/stat")) return null;
  const ticks = 100; // USER_HZ on Linux
  const stat = (pid: string) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // utime and stime, and cutime and cstime: what its exited children used (backends that closed).
      return { ppid: fields[1]!, cpu: (Number(fields[11]) + Number(fields[12])) / ticks, children: (Number(fields[13]) + Number(fields[14])) / ticks };
    } catch {
      return null;
    }
  };
  const pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  const postmaster = pids.find((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return path.basename(command[0] ?? "") === "postgres" && command.some((argument) => argument.startsWith(dataDir));
    } catch {
      return false;
    }
  });
  if (!postmaster) return null;
  const own = stat(postmaster);
  let total = (own?.cpu ?? 0) + (own?.children ?? 0);
  for (const pid of pids) {
    const each = stat(pid);
    if (each?.ppid === postmaster) total += each.cpu;
  }
  return total;
}

/** The machine's CPU time so far, all of it and the hypervisor's steal (time given to other guests), from /proc/stat. */
function cpuTimes(): { steal: number; total: number } | null {
  if (!existsSync("/proc/stat")) return null;
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: fields[7] ?? 0, total: fields.reduce((sum, value) => sum + value, 0) };
}

/**
 * Single-row INSERTs per second from one connection, each its own transaction: `durable` as the
 * server commits by default (each waits for its WAL flush), otherwise with synchronous_commit off,
 * which measures the CPU and round trip alone (the rate ratio is taken against: the stricter one).
 */
async function insertsPerSecond(databaseUrl: string, durable: boolean): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (!durable) await client.query(`SET synchronous_commit = off`);
    await client.query(`CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, payload text)`);
    let count = 0;
    const started = performance.now();
    const until = started + INSERT_SECONDS * 1000;
    while (performance.now() < until) {
      await client.query(`INSERT INTO bench_scratch (payload) VALUES ($1)`, [`row ${count}`]);
      count++;
    }
    const seconds = (performance.now() - started) / 1000;
    await client.query(`DROP TABLE bench_scratch`);
    return count / seconds;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const databaseUrl = await openDatabase();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 40 });
  // The API side (creations and the Ready poll) gets its own connections, as a web server would.
  const apiPool = new pg.Pool({ connectionString: databaseUrl, max: CREATES_IN_FLIGHT + 1 });
  for (const each of [pool, apiPool]) {
    each.on("error", (error) => run.closing || progress(`idle database connection failed: ${error.message}`));
    run.pools.push(each);
  }
  const provider = createSimulator({ db: pool, speed: 0, failureRate: 0 });
  const clusters = await buildInventory(pool, provider);
  const config = readEngineConfig({
    SKYLIGHT_SIM_SPEED: "0",
    SKYLIGHT_ENGINE_CONCURRENCY: String(concurrency),
    SKYLIGHT_RESYNC_SECONDS: "3600",
    SKYLIGHT_DRS_INTERVAL_SECONDS: "3600",
  });
  run.engine = startEngine({ databaseUrl, pool, provider, config, log: () => {} });
  await waitForHosts(apiPool);
  let backlogWriteSeconds = 0;
  if (args.backlog) {
    await run.engine.stop();
    progress(`all hosts connected; writing ${vmCount} VMs' specs with the engine stopped (${CREATES_IN_FLIGHT} in flight)`);
    const writing = performance.now();
    await createAll(apiPool, vmPlacementOrder(clusters));
    backlogWriteSeconds = (performance.now() - writing) / 1000;
    progress(`written in ${backlogWriteSeconds.toFixed(1)} s; starting the engine (${concurrency} workers)`);
  } else {
    progress(`all hosts connected; creating ${vmCount} VMs (${CREATES_IN_FLIGHT} in flight, ${concurrency} engine workers)`);
  }

  const loadBefore = loadavg()[0]!;
  const before = await databaseCounters(apiPool, true);
  const postgresBefore = postgresCpuSeconds(run.scratchDir);
  const nodeBefore = process.cpuUsage();
  const cpuBefore = cpuTimes();
  const started = performance.now();
  const startedAt = new Date();
  const sampling = args.statements ? sampleWaits(apiPool) : null;
  let writeSeconds = backlogWriteSeconds;
  if (args.backlog) {
    run.engine = startEngine({ databaseUrl, pool, provider, config, log: () => {} });
    await waitForReady(apiPool, started, Promise.resolve());
  } else {
    writeSeconds = await waitForReady(apiPool, started, createAll(apiPool, vmPlacementOrder(clusters)));
  }
  await sampling?.stop();
  const seconds = (performance.now() - started) / 1000;
  progress(`all ${vmCount} VMs Ready after ${seconds.toFixed(2)} s`);
  const nodeCpu = process.cpuUsage(nodeBefore);
  const loadAfter = loadavg()[0]!;
  const postgresAfter = postgresCpuSeconds(run.scratchDir);
  const cpuAfter = cpuTimes();
  const after = await databaseCounters(apiPool);
  if (args.statements) await printTopStatements(apiPool);
  // The Ready polls are the bench's own transactions: about four a second, each with its counters read.
  const ownTransactions = Math.ceil(seconds * 4) + 4;

  await run.engine.stop();
  run.engine = undefined;
  const latency = await latencyPercentiles(apiPool, startedAt);
  const inserts = await insertsPerSecond(databaseUrl, false);
  const durableInserts = await insertsPerSecond(databaseUrl, true);
  const vmsPerSecond = vmCount / seconds;
  process.stdout.write(
    `${JSON.stringify({
      vms: vmCount,
      // live: VMs created while the engine runs, timed from the first write; backlog: timed from the engine's start.
      mode: args.backlog ? "backlog" : "live",
      clients: CREATES_IN_FLIGHT,
      seconds: round(seconds, 2),
      specWriteSeconds: round(writeSeconds, 2),
      vmsPerSecond: round(vmsPerSecond, 2),
      latencyMsP50: round(latency.p50, 2),
      latencyMsP99: round(latency.p99, 2),
      pgInsertsPerSecond: round(inserts, 2),
      pgDurableInsertsPerSecond: round(durableInserts, 2),
      ratio: round(vmsPerSecond / inserts, 4),
      statementsPerVm: after.statements === null || before.statements === null ? null : round((after.statements - before.statements) / vmCount, 2),
      transactionsPerVm: round(Math.max(0, after.transactions - before.transactions - ownTransactions) / vmCount, 2),
      deadlocks: after.deadlocks - before.deadlocks,
      // Cores' worth of CPU while VMs were created and reconciled, and the machine's steal time then.
      postgresCores: postgresBefore === null || postgresAfter === null ? null : round((postgresAfter - postgresBefore) / seconds, 2),
      nodeCores: round((nodeCpu.user + nodeCpu.system) / 1e6 / seconds, 2),
      stealPercent: cpuBefore && cpuAfter ? round(((cpuAfter.steal - cpuBefore.steal) / Math.max(1, cpuAfter.total - cpuBefore.total)) * 100, 1) : null,
      // The 1-minute load average when the run started and when it ended: other work on the machine shows here.
      loadAverage: [round(loadBefore, 2), round(loadAfter, 2)],
    })}\n`,
  );
}

await runBench(run, main, progress);
