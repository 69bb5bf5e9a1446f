// Measures failover storms: how fast one in-process engine (simulator at speed 0, so provider
// operations are instant; only the HA heartbeat grace period takes real time) gets the VMs of
// failed hosts running elsewhere, how fast a host with running VMs enters maintenance mode, and the
// engine's idle CPU on the 45,000-VM scale inventory.
//
// The cluster is the scale seed's shape (lib/seed/scale-inventory.ts, written in bulk SQL and
// already converged): one cluster of --hosts hosts with --vms-per-host VMs each on average (the
// seed places each VM where placement would, so counts per host vary), HA and DRS on, every VM
// powered on. Then, in order:
//   (b) maintenance: the host with --vms-per-host running VMs (or the nearest count) enters
//       maintenance mode through the engine's operation; seconds until the last VM has left and
//       until the host reports inMaintenanceMode. It then exits maintenance mode (empty).
//   (a) failover: --hosts-failed hosts fail at once (provider.failHost). Per VM, from the moment the
//       grace period ended for the failed hosts (latest failure time + grace) to the VM running on
//       another host as the simulator sees it: p50/p99 and total; also until every VM's status
//       reports it (Ready and PoweredOn on its new host).
//   (c) idle: a second database with the full scale seed (45,000 VMs, --idle-vms), an engine with
//       the production defaults (SKYLIGHT_SIM_SPEED 1, resync over 600 s) after a warm-up; Node's
//       CPU from process.cpuUsage() and PostgreSQL's from /proc (postmaster and its children) over
//       --idle-seconds, in % of one core. --skip-idle leaves it out.
// --profile counts and times every statement this process sends during the failover and the
// maintenance (the engine runs in it), and adds statements and transactions per VM moved and the
// costliest statements.
// Usage: npm run -s bench:ha -- [--hosts 64] [--vms-per-host 40] [--hosts-failed 8] [--grace-seconds 2]
//        [--concurrency 16] [--idle-seconds 30] [--idle-vms 45000] [--skip-idle] [--profile]; one JSON line on stdout.
// With DATABASE_URL (an empty, migrated database) phases (a) and (b) run there and (c) is skipped.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { BenchExit, benchResources, runBench, throwawayDatabase } from "./bench-run";
import { ensureDatabase } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { startEngine, type RunningEngine } from "@/lib/engine/engine";
import { readEngineConfig, type EngineConfig } from "@/lib/engine/engine-config";
import { enterMaintenanceMode, exitMaintenanceMode } from "@/lib/engine/operations/host-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { seedScaleInventory, VCENTER_MAXIMUMS } from "@/lib/seed/scale-inventory";
import { createSimulator } from "@/lib/simulator/simulator";

const ACTOR: OperationActor = { id: "bench", username: "bench", role: "operator" };
const POLL_MS = 20;
const STORM_TIMEOUT_MS = 60_000;
const IDLE_WARMUP_MS = 15_000;

// Progress goes to stderr; stdout carries only the result line (libraries that log cannot spoil it).
const progress = (message: string) => process.stderr.write(`[bench:ha] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: {
    hosts: { type: "string", default: "64" },
    "vms-per-host": { type: "string", default: "40" },
    "hosts-failed": { type: "string", default: "8" },
    "grace-seconds": { type: "string", default: "2" },
    concurrency: { type: "string", default: "16" },
    "idle-seconds": { type: "string", default: "30" },
    "idle-vms": { type: "string", default: String(VCENTER_MAXIMUMS.vms) },
    "skip-idle": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
  },
  strict: true,
});
const hostCount = Number(args.hosts);
const vmsPerHost = Number(args["vms-per-host"]);
const hostsFailed = Number(args["hosts-failed"]);
const graceMs = Number(args["grace-seconds"]) * 1000;
const concurrency = Number(args.concurrency);
const idleSeconds = Number(args["idle-seconds"]);
const idleVms = Number(args["idle-vms"]);
const wholeNumber = (value: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(value) && value >= min && value <= max;
if (
  !wholeNumber(hostCount, 3, 64) ||
  !wholeNumber(vmsPerHost, 1) ||
  !wholeNumber(hostsFailed, 1, hostCount - 2) ||
  !(graceMs >= 500) ||
  !wholeNumber(concurrency, 1, 256) ||
  !(idleSeconds > 0) ||
  !wholeNumber(idleVms, 1)
) {
  console.error(
    "usage: npm run bench:ha -- [--hosts 3..64] [--vms-per-host N ≥ 1] [--hosts-failed 1..hosts-2] [--grace-seconds ≥ 0.5] [--concurrency 1..256] [--idle-seconds S > 0] [--idle-vms N ≥ 1] [--skip-idle] [--profile]",
  );
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

// The benchmark's own queries carry this mark, so the profile counts only the engine's.
const OWN = "/* bench:ha */ ";

interface StatementCost {
  count: number;
  ms: number;
}

/** Counts and times every statement sent through node-postgres from now until `stop()`. */
function profileStatements(): { stop(): Map<string, StatementCost> } {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const costs = new Map<string, StatementCost>();
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === "string" ? first : (first?.text ?? "");
    if (text.startsWith(OWN)) return original.apply(this, args);
    const started = performance.now();
    const key = text.replace(/\s+/g, " ").trim().slice(0, 110);
    const settle = () => {
      const cost = costs.get(key) ?? { count: 0, ms: 0 };
      cost.count++;
      cost.ms += performance.now() - started;
      costs.set(key, cost);
    };
    // pg.Pool's own query() passes a callback; a client checked out for a transaction returns a promise.
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (...results: unknown[]) => {
        settle();
        return (callback as (...results: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(settle, settle);
    return result;
  };
  return {
    stop() {
      prototype.query = original;
      return costs;
    },
  };
}


const run = benchResources();

async function openDatabase(): Promise<string> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const client = new pg.Client({ connectionString: external });
    await client.connect();
    try {
      const { rows } = await client.query<{ present: boolean }>(`SELECT to_regclass('resources') IS NOT NULL AS present`);
      if (rows[0]?.present) {
        const { rows: used } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM resources WHERE kind IN ('Host', 'VirtualMachine')) AS any`);
        if (used[0]?.any) throw new BenchExit(2, "DATABASE_URL names a database with hosts or VMs; the benchmark needs one without an inventory (or unset DATABASE_URL for a throwaway server).");
      }
    } finally {
      await client.end();
    }
    progress("using the database at DATABASE_URL (the idle measurement needs a throwaway server: skipped)");
    await migrate(external);
    return external;
  }
  return throwawayDatabase(run, "skylight-bench-ha-", progress);
}

function openPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on("error", (error) => run.closing || progress(`idle database connection failed: ${error.message}`));
  run.pools.push(pool);
  return pool;
}

async function closePool(pool: pg.Pool): Promise<void> {
  run.pools.splice(run.pools.indexOf(pool), 1);
  await pool.end();
}

/** Keys due now or held by a worker: none means the engine has nothing to do. */
async function waitForIdle(pool: pg.Pool, what: string, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reconcile_queue WHERE run_at <= now() OR lease_until > now()`);
    // Twice in a row, 100 ms apart: a step may enqueue the next key just after the first look.
    quiet = rows[0]!.n === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) throw new BenchExit(1, `the engine was still busy (${rows[0]!.n} keys due) ${timeoutMs / 1000} s after ${what}`);
    await sleep(100);
  }
}

async function waitForLeader(running: RunningEngine): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!running.isLeader()) {
    if (Date.now() > deadline) throw new BenchExit(1, "the engine did not become the leader within 60 s");
    await sleep(50);
  }
}

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return NaN;
  const rank = share * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The seed's cluster with every VM powered on (the seed leaves a fifth of them off or suspended), converged again. */
async function seedCluster(pool: pg.Pool): Promise<string> {
  const started = performance.now();
  const counts = await seedScaleInventory(pool, { datacenters: 1, clusters: 1, hosts: hostCount, vms: hostCount * vmsPerHost, namespaces: 1, events: 0, tasks: 0 });
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Desired and observed alike, at the same generation: the VMs stay converged. Namespace and
    // cluster roll-ups count powered-on VMs, so their controllers recount them once the engine runs.
    await client.query(
      `UPDATE resources SET spec = jsonb_set(spec, '{powerState}', '"PoweredOn"'), status = jsonb_set(status, '{powerState}', '"PoweredOn"')
        WHERE kind = 'VirtualMachine' AND spec->>'powerState' <> 'PoweredOn'`,
    );
    await client.query(`UPDATE sim_vms SET power_state = 'PoweredOn' WHERE power_state <> 'PoweredOn'`);
    const { rows } = await client.query<{ key: string }>(`SELECT kind || '//' || name AS key FROM resources WHERE kind IN ('Namespace', 'Cluster')`);
    await enqueue(client, rows.map((row) => row.key));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const { rows } = await pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Cluster'`);
  progress(`seeded ${counts.hosts} hosts and ${counts.vms} VMs (all powered on) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return rows[0]!.name;
}

/** Running VMs per host as the simulator sees them, most first. */
async function runningPerHost(pool: pg.Pool): Promise<{ host: string; vms: number }[]> {
  const { rows } = await pool.query<{ host: string; vms: number }>(
    `SELECT h.name AS host, count(v.id)::int AS vms FROM sim_hosts h LEFT JOIN sim_vms v ON v.host = h.name AND v.power_state = 'PoweredOn'
      WHERE h.failed_at IS NULL GROUP BY h.name ORDER BY vms DESC, h.name`,
  );
  return rows;
}

/**
 * Hosts whose running VMs are nearest the asked count per host (those with exactly it first); the
 * last one or two chosen, where the counts allow, so that together they hold exactly count ×
 * --vms-per-host.
 */
function pickHosts(perHost: { host: string; vms: number }[], count: number, exclude: string[] = []): { host: string; vms: number }[] {
  const candidates = perHost
    .filter((row) => !exclude.includes(row.host))
    .sort((a, b) => Math.abs(a.vms - vmsPerHost) - Math.abs(b.vms - vmsPerHost) || a.host.localeCompare(b.host));
  const target = count * vmsPerHost;
  const sum = (rows: { vms: number }[]) => rows.reduce((total, row) => total + row.vms, 0);
  for (const fixed of [count - 1, count - 2]) {
    if (fixed < 0) continue;
    const picked = candidates.slice(0, fixed);
    const rest = candidates.slice(fixed);
    const missing = target - sum(picked);
    if (fixed === count - 1) {
      const last = rest.find((row) => row.vms === missing);
      if (last) return [...picked, last];
      continue;
    }
    for (let i = 0; i < rest.length; i++) {
      const partner = rest.slice(i + 1).find((row) => rest[i]!.vms + row.vms === missing);
      if (partner) return [...picked, rest[i]!, partner];
    }
  }
  return candidates.slice(0, count);
}

// A VM's power state as a reader of the simulator sees it: an operation due by now counts as done.
const EFFECTIVE_POWER = `CASE WHEN operation IS NOT NULL AND operation_completes_at <= clock_timestamp() AND NOT operation_fails
                              THEN COALESCE(operation_target->>'powerState', power_state) ELSE power_state END`;

async function maintenancePhase(pool: pg.Pool, host: { host: string; vms: number }) {
  progress(`maintenance: ${host.host} with ${host.vms} running VMs enters maintenance mode`);
  const profile = args.profile ? profileStatements() : null;
  const started = performance.now();
  await enterMaintenanceMode(ACTOR, { name: host.host }, pool);
  let lastMigratedMs: number | null = null;
  let inMaintenanceMs: number | null = null;
  const deadline = Date.now() + STORM_TIMEOUT_MS;
  while (inMaintenanceMs === null || lastMigratedMs === null) {
    const { rows } = await pool.query<{ left: number; done: boolean }>(
      `${OWN}SELECT (SELECT count(*)::int FROM sim_vms WHERE host = $1 AND ${EFFECTIVE_POWER} = 'PoweredOn') AS left,
              COALESCE((SELECT (status->>'inMaintenanceMode')::boolean FROM resources WHERE kind = 'Host' AND name = $1), false) AS done`,
      [host.host],
    );
    const at = performance.now() - started;
    if (lastMigratedMs === null && rows[0]!.left === 0) lastMigratedMs = at;
    if (inMaintenanceMs === null && rows[0]!.done) inMaintenanceMs = at;
    if (Date.now() > deadline) throw new BenchExit(1, `${host.host} was not in maintenance mode after ${STORM_TIMEOUT_MS / 1000} s (${rows[0]!.left} VMs left)`);
    await sleep(POLL_MS);
  }
  const costs = profile?.stop();
  progress(`maintenance: last VM left after ${(lastMigratedMs / 1000).toFixed(2)} s, in maintenance mode after ${(inMaintenanceMs / 1000).toFixed(2)} s`);
  await exitMaintenanceMode(ACTOR, { name: host.host }, pool);
  const exitDeadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await pool.query<{ out: boolean }>(`SELECT NOT COALESCE((status->>'inMaintenanceMode')::boolean, false) AS out FROM resources WHERE kind = 'Host' AND name = $1`, [host.host]);
    if (rows[0]!.out) break;
    if (Date.now() > exitDeadline) throw new BenchExit(1, `${host.host} did not exit maintenance mode within 60 s`);
    await sleep(50);
  }
  await waitForIdle(pool, "exiting maintenance mode");
  return {
    host: host.host,
    vms: host.vms,
    lastMigratedSeconds: round(lastMigratedMs / 1000, 3),
    inMaintenanceSeconds: round(inMaintenanceMs / 1000, 3),
    ...(costs && { profile: summarize(costs, host.vms) }),
  };
}

async function failoverPhase(pool: pg.Pool, provider: ReturnType<typeof createSimulator>, cluster: string, exclude: string[]) {
  const chosen = pickHosts(await runningPerHost(pool), hostsFailed, exclude);
  progress(`failover: hosts ${chosen.map((row) => `${row.host} (${row.vms})`).join(", ")}`);
  const failed = chosen.map((row) => row.host);
  const { rows: victims } = await pool.query<{ id: string; owner_key: string }>(`SELECT id, owner_key FROM sim_vms WHERE host = ANY($1) AND power_state = 'PoweredOn' ORDER BY id`, [failed]);
  const ids = victims.map((row) => row.id);
  const ownerKeys = victims.map((row) => row.owner_key);
  progress(`failover: failing ${failed.length} hosts at once with ${ids.length} running VMs (grace ${graceMs} ms)`);
  const postmaster = await postmasterPid(pool);
  const profile = args.profile ? profileStatements() : null;
  await Promise.all(failed.map((name) => provider.failHost(name)));
  const { rows: failedAt } = await pool.query<{ at: Date }>(`SELECT max(failed_at) AS at FROM sim_hosts WHERE name = ANY($1)`, [failed]);
  // The last missed heartbeat: the grace period ended for every failed host.
  const graceEnded = failedAt[0]!.at.getTime() + graceMs;

  // CPU from the end of the grace period to the last VM running elsewhere: the restart work itself.
  while (Date.now() < graceEnded) await sleep(5);
  const cpuFrom = { node: process.cpuUsage(), postgres: postmaster ? postgresCpuMs(postmaster).ms : 0, at: performance.now() };
  let cpu: { nodePercent: number; postgresPercent: number | null } | null = null;
  const runningAt = new Map<string, number>();
  let reportedAt: number | null = null;
  // With --profile: how many of the engine's connections are running a statement, and how many of
  // them wait for a lock, sampled at every poll until the last VM runs elsewhere.
  const sessions = { samples: 0, active: 0, waitingForLock: 0 };
  const deadline = graceEnded + STORM_TIMEOUT_MS;
  while (runningAt.size < ids.length || reportedAt === null) {
    const before = Date.now();
    const { rows } = await pool.query<{ id: string }>(
      `${OWN}SELECT id FROM sim_vms WHERE id = ANY($1) AND NOT (host = ANY($2)) AND ${EFFECTIVE_POWER} = 'PoweredOn'`,
      [ids.filter((id) => !runningAt.has(id)), failed],
    );
    const { rows: reported } = await pool.query<{ n: number }>(
      `${OWN}SELECT count(*)::int AS n FROM resources
        WHERE kind = 'VirtualMachine' AND namespace || '/' || name = ANY($1) AND NOT (status->>'host' = ANY($2))
          AND status->>'powerState' = 'PoweredOn' AND status->'conditions' @> '[{"type":"Ready","status":"True"}]'`,
      [ownerKeys, failed],
    );
    if (profile && runningAt.size < ids.length) {
      const { rows: activity } = await pool.query<{ active: number; waiting: number }>(
        `${OWN}SELECT count(*) FILTER (WHERE state = 'active')::int AS active, count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query NOT LIKE '/* bench:ha */%'`,
      );
      sessions.samples++;
      sessions.active += activity[0]!.active;
      sessions.waitingForLock += activity[0]!.waiting;
    }
    const after = Date.now();
    // Seen between the query's start and end: the middle, within POLL_MS of the truth.
    for (const row of rows) runningAt.set(row.id, (before + after) / 2);
    if (!cpu && runningAt.size === ids.length) {
      const wall = performance.now() - cpuFrom.at;
      const node = process.cpuUsage(cpuFrom.node);
      cpu = {
        nodePercent: round(((node.user + node.system) / 1000 / wall) * 100, 1),
        postgresPercent: postmaster ? round(((postgresCpuMs(postmaster).ms - cpuFrom.postgres) / wall) * 100, 1) : null,
      };
    }
    if (reportedAt === null && runningAt.size === ids.length && reported[0]!.n === ids.length) reportedAt = (before + after) / 2;
    if (Date.now() > deadline) break;
    await sleep(POLL_MS);
  }
  const costs = profile?.stop();
  const complete = runningAt.size === ids.length;
  const latencies = [...runningAt.values()].map((at) => at - graceEnded).sort((a, b) => a - b);
  // What keeps the others from running elsewhere: the queue's last errors for them.
  const { rows: stuck } = await pool.query<{ error: string; n: number }>(
    `SELECT last_error AS error, count(*)::int AS n FROM reconcile_queue
      WHERE key = ANY($1) AND last_error IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 3`,
    [victims.filter((row) => !runningAt.has(row.id)).map((row) => `VirtualMachine/${row.owner_key}`)],
  );
  // Once the engine is done, each host's booking must be what the VMs that report it add up to
  // (a VM being migrated counts on both hosts, as recomputeAllocations counts it).
  if (complete) await waitForIdle(pool, "the failover");
  const { rows: drifted } = await pool.query<{ host: string; booked: number; reported: number }>(
    `${OWN}SELECT h.host, h.vcpus AS booked, COALESCE(v.vcpus, 0)::int AS reported FROM host_allocations h
       LEFT JOIN (
         SELECT booked.host, sum((status->'allocation'->>'cpus')::int) AS vcpus, sum((status->'allocation'->>'memoryMiB')::int) AS memory
           FROM resources
          CROSS JOIN LATERAL (SELECT status->>'host' AS host UNION SELECT status->'migration'->>'to' WHERE status->'migration'->>'to' IS NOT NULL) AS booked
          WHERE kind = 'VirtualMachine' GROUP BY 1) AS v ON v.host = h.host
      WHERE (h.vcpus, h.memory_allocated_mib) IS DISTINCT FROM (COALESCE(v.vcpus, 0)::int, COALESCE(v.memory, 0)::int)
      ORDER BY h.host`,
  );
  const { rows: restartFailed } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE reason = 'HA.restartFailed' AND object_kind = 'VirtualMachine' AND object_namespace || '/' || object_name = ANY($1)`,
    [ownerKeys],
  );
  const { rows: detected } = await pool.query<{ at: Date | null }>(
    `SELECT max(time) AS at FROM events WHERE reason = 'Host.notResponding' AND object_name = ANY($1)`,
    [failed],
  );
  const result = {
    cluster,
    hostsFailed: failed.length,
    vms: ids.length,
    graceMs,
    // From the end of the grace period until the last failed host was declared not responding (the heartbeat check runs every second).
    detectedMs: detected[0]!.at ? round(detected[0]!.at.getTime() - graceEnded, 1) : null,
    runningElsewhereMs: {
      p50: round(percentile(latencies, 0.5), 1),
      p99: round(percentile(latencies, 0.99), 1),
      total: complete ? round(latencies.at(-1)!, 1) : null,
    },
    statusReportedTotalMs: reportedAt === null ? null : round(reportedAt - graceEnded, 1),
    restartFailedEvents: restartFailed[0]!.n,
    // Hosts whose booking differs from their VMs' allocations once the engine is idle: 0 unless bookings drifted.
    hostsWithBookingDrift: drifted.length,
    ...(drifted.length > 0 && { bookingDriftVcpus: drifted.slice(0, 4) }),
    // % of one core, over the restarts (grace period's end to the last VM running elsewhere); this process includes the benchmark's polling.
    cpuPercent: cpu,
    ...(!complete && { notRunningElsewhere: ids.length - runningAt.size, afterSeconds: STORM_TIMEOUT_MS / 1000, lastErrors: stuck }),
    ...(costs && {
      profile: {
        ...summarize(costs, ids.length),
        connectionsActiveAvg: round(sessions.active / Math.max(1, sessions.samples), 1),
        connectionsWaitingForLockAvg: round(sessions.waitingForLock / Math.max(1, sessions.samples), 1),
      },
    }),
  };
  progress(
    complete
      ? `failover: ${ids.length} VMs running elsewhere ${(result.runningElsewhereMs.total! / 1000).toFixed(2)} s after the grace period ended`
      : `failover: only ${runningAt.size} of ${ids.length} VMs run elsewhere ${STORM_TIMEOUT_MS / 1000} s after the grace period ended (${JSON.stringify(stuck)})`,
  );
  return { result, complete };
}

/** Statements and transactions per restarted VM, and the statements that took the most time in all. */
function summarize(costs: Map<string, StatementCost>, vms: number) {
  const all = [...costs.entries()].map(([statement, cost]) => ({ statement, count: cost.count, ms: round(cost.ms, 1) }));
  const statements = all.reduce((sum, each) => sum + each.count, 0);
  // Explicit transactions only (withTransaction's BEGIN also says how it commits).
  const transactions = all.filter((each) => each.statement.startsWith("BEGIN")).reduce((sum, each) => sum + each.count, 0);
  const top = all.sort((a, b) => b.ms - a.ms).slice(0, 12);
  for (const each of top) progress(`profile: ${String(each.count).padStart(6)} × ${String(each.ms).padStart(9)} ms  ${each.statement}`);
  const totalMs = round(all.reduce((sum, each) => sum + each.ms, 0), 1);
  return { statements, statementsPerVm: round(statements / vms, 1), transactionsPerVm: round(transactions / vms, 1), totalMs, top };
}

/** CPU time (ms) of the PostgreSQL server behind `pool`: its postmaster and every child of it. */
function postgresCpuMs(postmaster: number): { ms: number; processes: number } {
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  let total = 0;
  let processes = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command's closing parenthesis: state, ppid, …; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    total += Number(fields[11]) + Number(fields[12]);
    processes++;
  }
  return { ms: (total * 1000) / ticks, processes };
}

/** The postmaster of the server behind `pool`, when it runs on this machine (null otherwise). */
async function postmasterPid(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>(`${OWN}SELECT pg_backend_pid() AS pid`);
  try {
    const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

async function idlePhase(serverUrl: string, databaseUrl: string) {
  await ensureDatabase(serverUrl, "bench_idle");
  await migrate(databaseUrl);
  const pool = openPool(databaseUrl, 40);
  const started = performance.now();
  const counts = await seedScaleInventory(pool, { ...VCENTER_MAXIMUMS, vms: idleVms });
  // The seed's bulk rows would otherwise be vacuumed by autovacuum during the measurement.
  await pool.query(`VACUUM (ANALYZE)`);
  progress(`idle: seeded ${counts.vms} VMs on ${counts.hosts} hosts (${counts.events} events) and vacuumed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const postmaster = await postmasterPid(pool);
  if (!postmaster) throw new BenchExit(1, "cannot read the PostgreSQL server's processes in /proc");
  // The production defaults: simulated time at speed 1, resync spread over 600 s, DRS every 300 s.
  const config = readEngineConfig({});
  const provider = createSimulator({ db: pool, speed: config.simSpeed, failureRate: 0 });
  run.engine = startEngine({ databaseUrl, pool, provider, config, log: () => {} });
  await waitForLeader(run.engine);
  progress(`idle: engine started; warming up for ${IDLE_WARMUP_MS / 1000} s, then measuring for ${idleSeconds} s`);
  await sleep(IDLE_WARMUP_MS);
  const xacts = async () => (await pool.query<{ n: string }>(`SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`)).rows[0]!.n;
  const xactsBefore = Number(await xacts());
  const nodeBefore = process.cpuUsage();
  const pgBefore = postgresCpuMs(postmaster);
  const wallBefore = performance.now();
  await sleep(idleSeconds * 1000);
  const wall = performance.now() - wallBefore;
  const nodeUsed = process.cpuUsage(nodeBefore);
  const pgAfter = postgresCpuMs(postmaster);
  const xactsAfter = Number(await xacts());
  await run.engine.stop();
  run.engine = undefined;
  await closePool(pool);
  const result = {
    vms: counts.vms,
    hosts: counts.hosts,
    seconds: round(wall / 1000, 1),
    nodeCpuPercent: round(((nodeUsed.user + nodeUsed.system) / 1000 / wall) * 100, 2),
    postgresCpuPercent: round(((pgAfter.ms - pgBefore.ms) / wall) * 100, 2),
    postgresProcesses: pgAfter.processes,
    transactionsPerSecond: round((xactsAfter - xactsBefore - 1) / (wall / 1000), 1),
  };
  progress(`idle: Node ${result.nodeCpuPercent} %, PostgreSQL ${result.postgresCpuPercent} % of a core`);
  return result;
}

async function main(): Promise<void> {
  const databaseUrl = await openDatabase();
  const pool = openPool(databaseUrl, 40);
  const cluster = await seedCluster(pool);
  const provider = createSimulator({ db: pool, speed: 0, failureRate: 0 });
  const config: EngineConfig = {
    ...readEngineConfig({
      SKYLIGHT_SIM_SPEED: "0",
      SKYLIGHT_ENGINE_CONCURRENCY: String(concurrency),
      SKYLIGHT_RESYNC_SECONDS: "3600",
      SKYLIGHT_DRS_INTERVAL_SECONDS: "3600",
    }),
    // Everything else is instant; heartbeats are missed in real time.
    haGraceMs: graceMs,
  };
  run.engine = startEngine({ databaseUrl, pool, provider, config, log: () => {} });
  await waitForLeader(run.engine);
  await waitForIdle(pool, "start");
  progress(`engine idle on the seeded cluster ${cluster} (${concurrency} workers)`);

  const maintenanceHost = pickHosts(await runningPerHost(pool), 1)[0]!;
  const maintenance = await maintenancePhase(pool, maintenanceHost);
  const { result: failover, complete } = await failoverPhase(pool, provider, cluster, [maintenanceHost.host]);
  await run.engine.stop();
  run.engine = undefined;
  await closePool(pool);

  let idle: Awaited<ReturnType<typeof idlePhase>> | { skipped: string };
  if (!complete) idle = { skipped: "the failover did not complete" };
  else if (args["skip-idle"]) idle = { skipped: "--skip-idle" };
  else if (!run.server) idle = { skipped: "DATABASE_URL" };
  else {
    const admin = new pg.Client({ connectionString: run.server.serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE bench WITH (FORCE)`).finally(() => admin.end());
    idle = await idlePhase(run.server.serverUrl, run.server.urlFor("bench_idle"));
  }

  process.stdout.write(
    `${JSON.stringify({
      bench: "ha",
      hosts: hostCount,
      vms: hostCount * vmsPerHost,
      engineWorkers: concurrency,
      failover,
      maintenance,
      idle,
    })}\n`,
  );
  // The line is printed either way: what did not restart is the finding.
  if (!complete) throw new BenchExit(1, "some VMs of the failed hosts were not running elsewhere in time");
}

await runBench(run, main, progress);
