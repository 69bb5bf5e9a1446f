// `npm run bench:start`: the README's quick start as a new user meets it. Starts `npm start` on a
// fresh data directory (its own embedded PostgreSQL, migrations, demo seed), then times the first
// page, the sign-in form, by 127.0.0.1 and by each of the machine's own addresses, as someone on
// another machine opens it. Prints one JSON line; progress goes to stderr.
//   --no-build   fail instead of building when the production build is missing or stale
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureProductionBuild, productionBuildNeed } from "./production-build";

const { values: options } = parseArgs({ options: { "no-build": { type: "boolean", default: false } } });
const progress = (message: string) => process.stderr.write(`[bench:start] ${message}\n`);
const root = fileURLToPath(new URL("..", import.meta.url));

/** This machine's addresses another machine would use: every non-loopback IPv4 address. */
function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((entry) => (entry && entry.family === "IPv4" && !entry.internal ? [entry.address] : []));
}

/** The quick start's environment: no DATABASE_URL, so Skylight starts its embedded PostgreSQL. */
function withoutDatabaseUrl(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = environment;
  return rest;
}

/**
 * Node's fetch compiles its HTTP parser on its first response, which costs this process up to a
 * second on a busy machine: a response from a server of its own first, so only Skylight is timed.
 */
async function warmUpClient(): Promise<void> {
  const local = createServer((_, response) => response.end("ok"));
  await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
  const { port } = local.address() as AddressInfo;
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
  await new Promise((resolve) => local.close(resolve));
}

async function timedPage(url: string): Promise<{ ms: number; status: number; signInForm: boolean }> {
  const started = performance.now();
  const response = await fetch(url, { redirect: "manual" });
  const body = await response.text();
  return { ms: Math.round((performance.now() - started) * 10) / 10, status: response.status, signInForm: body.includes('autoComplete="username"') || body.includes('autocomplete="username"') };
}

let buildSeconds: number | null = null;
const need = productionBuildNeed(root);
if (need) {
  if (options["no-build"]) {
    progress(`--no-build, but ${need}`);
    process.exit(2);
  }
  const started = performance.now();
  ensureProductionBuild(root, progress);
  buildSeconds = Math.round((performance.now() - started) / 100) / 10;
}

const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-bench-start-"));
const port = 21000 + Math.floor(Math.random() * 8000);
const started = performance.now();
const server = spawn(process.execPath, ["--import", "tsx", "scripts/skylight.ts", "start"], {
  cwd: root,
  env: {
    ...withoutDatabaseUrl(process.env),
    PORT: String(port),
    SKYLIGHT_KUBE_PORT: String(port + 1),
    SKYLIGHT_EMBEDDED_PG_PORT: String(port + 2),
    SKYLIGHT_DATA_DIR: dataDir,
    SKYLIGHT_ADMIN_PASSWORD: "bench-start-password",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
const stopServer = () => new Promise<void>((resolve) => {
  if (server.exitCode !== null) return resolve();
  server.once("exit", () => resolve());
  server.kill("SIGTERM");
});
process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopServer().finally(() => process.exit(130)));

let output = "";
const listening = new Promise<void>((resolve, reject) => {
  const watch = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("[skylight] console on")) resolve();
  };
  server.stdout.on("data", watch);
  server.stderr.on("data", watch);
  server.once("exit", (code) => reject(new Error(`npm start exited (${code}) before serving:\n${output.slice(-2000)}`)));
});

try {
  progress(`npm start on port ${port}, data in ${dataDir}`);
  await listening;
  const readySeconds = Math.round((performance.now() - started) / 100) / 10;
  await warmUpClient();
  const addresses = ["127.0.0.1", ...machineAddresses()];
  const firstPage: Record<string, Awaited<ReturnType<typeof timedPage>>> = {};
  for (const address of addresses) firstPage[address] = await timedPage(`http://${address}:${port}/login`);
  const again = await timedPage(`http://127.0.0.1:${port}/login`);
  const failed = Object.entries(firstPage).filter(([, page]) => page.status !== 200 || !page.signInForm);
  if (failed.length > 0) throw new Error(`no sign-in form at ${failed.map(([address, page]) => `${address} (HTTP ${page.status})`).join(", ")}`);
  console.log(JSON.stringify({ bench: "start", buildSeconds, readySeconds, firstPageMs: Object.fromEntries(Object.entries(firstPage).map(([address, page]) => [address, page.ms])), secondPageMs: again.ms }));
  await stopServer();
  process.exit(0);
} catch (error) {
  progress(error instanceof Error ? error.message : String(error));
  await stopServer();
  process.exit(1);
}
