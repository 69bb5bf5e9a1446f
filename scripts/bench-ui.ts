// Measures the console's server response times at vCenter scale: seeds a fresh embedded database
// with `seed:scale`, builds the app when the build is missing or older than the sources, starts
// the production server with the engine running, signs in through the login form in Chromium,
// then times sequential requests (to the full response body) and prints one JSON line of p50 and p95
// in ms per target, twice: `cold`, the first requests right after the seed and the server's start
// (round robin over the targets, so each target's first request is the first it ever gets), as a
// new installation's first users see it; then warm (after a few unmeasured requests per target).
// A target that does not answer 200 fails the run: no figure is made up.
// Usage: npm run -s bench:ui -- [--port 3450] [--pg-port 5799] [--requests 20]
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";

const ADMIN_PASSWORD = "bench-admin-password";
const WARMUP_REQUESTS = 3;
const SOURCES = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];
const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const progress = (message: string) => process.stderr.write(`[bench:ui] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: { port: { type: "string", default: "3450" }, "pg-port": { type: "string", default: "5799" }, requests: { type: "string", default: "20" } },
  strict: true,
});
const port = Number(args.port);
const pgPort = Number(args["pg-port"]);
const requests = Number(args.requests);
if (![port, pgPort].every((value) => Number.isInteger(value) && value >= 1024 && value <= 65535) || !Number.isInteger(requests) || requests < 2) {
  console.error("usage: npm run bench:ui -- [--port 1024..65535] [--pg-port 1024..65535] [--requests N (≥ 2)]");
  process.exit(2);
}

const root = process.cwd();
const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-bench-ui-"));
const baseUrl = `http://127.0.0.1:${port}`;
// Without DATABASE_URL, the seed and the server use the embedded PostgreSQL of the fresh data dir.
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const environment = {
  ...inherited,
  SKYLIGHT_DATA_DIR: dataDir,
  SKYLIGHT_EMBEDDED_PG_PORT: String(pgPort),
  SKYLIGHT_ADMIN_PASSWORD: ADMIN_PASSWORD,
  SKYLIGHT_DEMO: "0",
  PORT: String(port),
  NEXT_TELEMETRY_DISABLED: "1",
};
let server: ChildProcess | undefined;

class BenchFailure extends Error {}

function run(command: string, commandArgs: string[], capture: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    // A build's output goes to stderr: stdout carries only the result line.
    const child = spawn(command, commandArgs, { cwd: root, env: environment, stdio: ["ignore", capture ? "pipe" : 2, "inherit"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new BenchFailure(`${command} ${commandArgs.join(" ")} exited with ${code}`))));
  });
}

function newestSource(entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).filter((name) => name !== "generated").map((name) => newestSource(path.join(entry, name))));
}

async function buildIfStale(): Promise<void> {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (built > Math.max(...SOURCES.map(newestSource))) {
    progress("the production build is current");
    return;
  }
  progress("building the app (next build)");
  await run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], false);
}

async function startServer(): Promise<void> {
  progress(`starting the production server on port ${port}`);
  server = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/skylight.ts", "start"], {
    cwd: root,
    env: environment,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new BenchFailure(`the server exited with ${server.exitCode} before answering`);
    const answered = await fetch(`${baseUrl}/login`).then((response) => response.ok, () => false);
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new BenchFailure("the server did not answer /login within 2 minutes");
}

/** Signs in as a person would, through the login form, and returns the session cookies. */
async function signIn(): Promise<string> {
  const browser = await chromium.launch(
    existsSync(SYSTEM_CHROMIUM)
      ? { executablePath: SYSTEM_CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] }
      : {},
  );
  try {
    const page = await browser.newPage();
    // Landing on the profile page, not Home: Home's first request belongs to the cold pass.
    await page.goto(`${baseUrl}/login?next=%2Fprofile`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "User menu for admin" }).waitFor({ timeout: 60_000 });
    const cookies = await page.context().cookies();
    return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

interface Subjects {
  clusterUid: string;
  clusterHosts: number;
  vmUid: string;
  nameTerm: string;
  nameMatches: number;
}

/** The objects the targets name: the first full (64-host) cluster, one of its VMs, a name substring. */
async function findSubjects(): Promise<Subjects> {
  const postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
  const client = new pg.Client({ connectionString: postgres.urlFor("skylight") });
  await client.connect();
  try {
    const cluster = await client.query<{ uid: string; name: string; hosts: number }>(
      `SELECT uid::text, name, (status->'hosts'->>'total')::int AS hosts FROM resources WHERE kind = 'Cluster' ORDER BY 3 DESC, name LIMIT 1`,
    );
    const vm = await client.query<{ uid: string }>(
      `SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1 ORDER BY name LIMIT 1`,
      [cluster.rows[0]!.name],
    );
    // A role whose VMs number a few hundred: what "filter by name" returns in practice.
    const term = await client.query<{ term: string; matches: number }>(
      `SELECT split_part(name, '-', 1) AS term, count(*)::int AS matches FROM resources WHERE kind = 'VirtualMachine'
        GROUP BY 1 ORDER BY abs(count(*) - 400), 1 LIMIT 1`,
    );
    return { clusterUid: cluster.rows[0]!.uid, clusterHosts: cluster.rows[0]!.hosts, vmUid: vm.rows[0]!.uid, nameTerm: term.rows[0]!.term, nameMatches: term.rows[0]!.matches };
  } finally {
    await client.end();
  }
}

interface Measured {
  status: number;
  p50: number | null;
  p95: number | null;
}

async function once(url: string, cookie: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${url}`, { headers: { cookie }, redirect: "manual" });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

interface ColdMeasured extends Measured {
  /** The very first request to the target. */
  first: number | null;
}

/**
 * The cold pass: `requests` rounds over all targets, one request each per round, before any
 * warm-up, so round 1 holds each target's first request and the rounds span the server's first
 * seconds with the engine's start-up work. A target that fails is left out of later rounds.
 */
async function timeColdPass(targets: Record<string, string>, cookie: string): Promise<Record<string, ColdMeasured>> {
  const times = Object.fromEntries(Object.keys(targets).map((name) => [name, [] as number[]]));
  const statuses: Record<string, number> = Object.fromEntries(Object.keys(targets).map((name) => [name, 200]));
  for (let round = 0; round < requests; round++) {
    for (const [name, url] of Object.entries(targets)) {
      if (statuses[name] !== 200) continue;
      const { status, ms } = await once(url, cookie);
      statuses[name] = status;
      if (status === 200) times[name]!.push(ms);
    }
  }
  return Object.fromEntries(
    Object.keys(targets).map((name) => {
      const measured = times[name]!;
      return statuses[name] === 200
        ? [name, { status: 200, first: Math.round(measured[0]! * 10) / 10, p50: percentile(measured, 0.5), p95: percentile(measured, 0.95) }]
        : [name, { status: statuses[name]!, first: null, p50: null, p95: null }];
    }),
  );
}

async function timeTarget(url: string, cookie: string): Promise<Measured> {
  for (let index = 0; index < WARMUP_REQUESTS; index++) {
    const { status } = await once(url, cookie);
    if (status !== 200) return { status, p50: null, p95: null };
  }
  const times: number[] = [];
  for (let index = 0; index < requests; index++) {
    const { status, ms } = await once(url, cookie);
    if (status !== 200) return { status, p50: null, p95: null };
    times.push(ms);
  }
  return { status: 200, p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/** The machine's 1-minute load average: the figures are only comparable between runs on a quiet machine. */
function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

/** Nearest-rank percentile, in ms with one decimal. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]! * 10) / 10;
}

async function main(): Promise<number> {
  progress(`seeding a fresh database in ${dataDir}`);
  const seed = JSON.parse((await run(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/seed-scale.ts"], true)).trim()) as Record<string, number>;
  await buildIfStale();
  const serverStarted = performance.now();
  await startServer();
  const subjects = await findSubjects();
  const cookie = await signIn();
  const q = encodeURIComponent(subjects.nameTerm);
  const targets: Record<string, string> = {
    home: "/",
    cluster: `/objects/${subjects.clusterUid}`,
    vmList: "/vms",
    vmListFiltered: `/vms?q=${q}`,
    vmListSorted: "/vms?sort=host&dir=desc",
    vmListPage900: "/vms?page=900",
    vm: `/objects/${subjects.vmUid}`,
    navigatorCluster: `/api/navigator?view=hosts-and-clusters&parent=${subjects.clusterUid}`,
    search: `/api/search?q=${q}`,
  };
  const coldAfterMs = Math.round(performance.now() - serverStarted);
  const loadBefore = loadAverage();
  progress(`cold pass: ${requests} rounds over ${Object.keys(targets).length} targets, ${coldAfterMs} ms after the server was started`);
  const cold = await timeColdPass(targets, cookie);
  const results: Record<string, Measured & { url: string; cold: ColdMeasured }> = {};
  for (const [name, url] of Object.entries(targets)) {
    progress(`timing ${name}: ${url}`);
    results[name] = { url, ...(cold[name]!.status === 200 ? await timeTarget(url, cookie) : { status: cold[name]!.status, p50: null, p95: null }), cold: cold[name]! };
  }
  process.stdout.write(
    `${JSON.stringify({
      requests,
      seed: { vms: seed.vms, hosts: seed.hosts, seconds: seed.seconds },
      cluster: { uid: subjects.clusterUid, hosts: subjects.clusterHosts },
      nameFilter: { q: subjects.nameTerm, matches: subjects.nameMatches },
      coldAfterServerStartMs: coldAfterMs,
      loadAverage1m: { before: loadBefore, after: loadAverage() },
      targets: results,
    })}\n`,
  );
  const failed = Object.entries(results).filter(([, result]) => result.status !== 200 || result.cold.status !== 200);
  if (failed.length === 0) return 0;
  progress(`FAILED: ${failed.map(([name, result]) => `${name} (${result.url}) answered ${result.status !== 200 ? result.status : result.cold.status}`).join("; ")}; no figures for them`);
  return 1;
}

async function stopServer(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server!.once("exit", resolve));
  // The launcher stops the Next.js server and then its embedded PostgreSQL.
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
}

async function cleanUp(): Promise<void> {
  await stopServer();
  rmSync(dataDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)));
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  progress(error instanceof Error ? error.message : String(error));
} finally {
  await cleanUp();
}
process.exit(exitCode);
