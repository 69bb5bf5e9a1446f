// Measures the Kubernetes API at vCenter scale: seeds a fresh embedded database with `seed:scale`
// (45,000 VMs), starts the engine and the API server in this process (as the app server runs
// them), then times the real kubectl — `kubectl get vm -A --chunk-size=500` over every VM and a
// single `kubectl get vm` — and the delay from a console action (the engine call the console's
// power action makes) to the matching event on an open watch. Prints one JSON line; a failed
// command fails the run, so no figure is made up.
// Usage: npm run -s bench:api -- [--pg-port 5892] [--kube-port 6546] [--lists 5] [--gets 20] [--actions 100]
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { getPool } from "@/lib/db/pool";
import { startEngine } from "@/lib/engine/engine";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { getProvider } from "@/lib/engine/provider-registry";
import { createApiToken } from "@/lib/kube/api-tokens";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { startKubeApiServer } from "@/lib/kube/kube-server";

const run = promisify(execFile);
const progress = (message: string) => process.stderr.write(`[bench:api] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: {
    "pg-port": { type: "string", default: "5892" },
    "kube-port": { type: "string", default: "6546" },
    lists: { type: "string", default: "5" },
    gets: { type: "string", default: "20" },
    actions: { type: "string", default: "100" },
  },
  strict: true,
});
const [pgPort, kubePort, lists, gets, actions] = [args["pg-port"], args["kube-port"], args.lists, args.gets, args.actions].map(Number) as [number, number, number, number, number];

const root = process.cwd();
const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-bench-api-"));
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const environment = { ...inherited, SKYLIGHT_DATA_DIR: dataDir, SKYLIGHT_EMBEDDED_PG_PORT: String(pgPort), SKYLIGHT_ADMIN_PASSWORD: "bench-admin-password", SKYLIGHT_DEMO: "0" };

/** Nearest-rank percentile, in ms with one decimal. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]! * 10) / 10;
}

async function timed(times: number, work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const samples: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** One GET over HTTPS as kubectl sends it, to the full body. */
function fetchJson(url: string, ca: string, token: string, accept: string): Promise<{ metadata: { continue?: string } }> {
  return new Promise((resolve, reject) => {
    const call = request(url, { ca, headers: { Authorization: `Bearer ${token}`, Accept: accept } }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(body) as { metadata: { continue?: string } }) : reject(new Error(`${url} answered ${response.statusCode}`))));
    });
    call.on("error", reject);
    call.end();
  });
}

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; namespace: string }; spec: { powerState: string } };
}

/** Opens a watch on every VM from `resourceVersion` and hands each event to `onEvent`. */
function openWatch(url: string, ca: string, token: string, onEvent: (event: WatchEvent) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const watch = request(url, { ca, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`watch answered ${response.statusCode}`));
      let buffer = "";
      response.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          onEvent(JSON.parse(buffer.slice(0, newline)) as WatchEvent);
          buffer = buffer.slice(newline + 1);
        }
      });
      resolve(() => watch.destroy());
    });
    watch.on("error", reject);
    watch.end();
  });
}

async function main() {
  progress(`seeding a fresh database in ${dataDir}`);
  const { stdout: seedLine } = await run(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/seed-scale.ts"], { cwd: root, env: environment, maxBuffer: 16 * 1024 * 1024 });
  const seed = JSON.parse(seedLine.trim()) as { vms: number };

  const postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
  const databaseUrl = postgres.urlFor("skylight");
  process.env.DATABASE_URL = databaseUrl;
  const pool = getPool();
  const engine = startEngine({ databaseUrl, pool, provider: getProvider(), config: readEngineConfig(), log: () => {} });
  const server = await startKubeApiServer({ pool, connectionString: databaseUrl, port: kubePort, host: "127.0.0.1", hostnames: [] });
  try {
    const { rows: admins } = await pool.query<{ id: string }>(`SELECT id FROM users WHERE username = 'admin'`);
    const { token: apiToken } = await createApiToken(pool, { userId: admins[0]!.id, name: "bench" });
    const kubeconfig = path.join(dataDir, "kubeconfig");
    writeFileSync(kubeconfig, buildKubeconfig({ server: `https://127.0.0.1:${server.port}`, certificateAuthorityPem: server.certificateAuthorityPem, username: "admin", token: apiToken }));
    const kubectl = async (kubectlArgs: string[]) => {
      const { stdout } = await run("/usr/bin/kubectl", kubectlArgs, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dataDir }, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    };

    const { rows: sample } = await pool.query<{ namespace: string; name: string }>(
      `SELECT namespace, name FROM resources WHERE kind = 'VirtualMachine' AND status->>'powerState' = 'PoweredOn' ORDER BY random() LIMIT $1`,
      [actions],
    );
    const first = sample[0]!;
    progress(`timing kubectl get vm -A --chunk-size=500 (${seed.vms} VMs) ×${lists}`);
    let listedRows = 0;
    const listTimes = await timed(lists, async () => {
      listedRows = (await kubectl(["get", "vm", "-A", "--chunk-size=500", "--no-headers"])).trim().split("\n").length;
    });
    if (listedRows !== seed.vms) throw new Error(`kubectl listed ${listedRows} VMs, the seed made ${seed.vms}`);
    // kubectl throttles itself to 5 requests a second after a burst of 10 (client-go's default),
    // so the chunked list above is mostly kubectl waiting: time the server's pages on their own too.
    progress("timing the server's Table pages of 500 on their own");
    const base = `https://127.0.0.1:${server.port}/apis/vmoperator.vmware.com/v1alpha3/virtualmachines?limit=500`;
    const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    const pageTimes: number[] = [];
    for (let token: string | undefined = ""; token !== undefined; ) {
      const started = performance.now();
      const page = await fetchJson(`${base}${token ? `&continue=${token}` : ""}`, server.certificateAuthorityPem, apiToken, tableAccept);
      pageTimes.push(performance.now() - started);
      token = page.metadata.continue;
    }
    progress(`timing kubectl get vm -n ${first.namespace} ${first.name} ×${gets}`);
    const getTimes = await timed(gets, () => kubectl(["get", "vm", "-n", first.namespace, first.name]));

    progress(`timing console action → watch event ×${sample.length}`);
    const listed = await kubectl(["get", "--raw", "/apis/vmoperator.vmware.com/v1alpha3/virtualmachines?limit=1"]);
    const resourceVersion = (JSON.parse(listed) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const waiting = new Map<string, { powerState: string; resolve: () => void }>();
    const stop = await openWatch(
      `https://127.0.0.1:${server.port}/apis/vmoperator.vmware.com/v1alpha3/virtualmachines?watch=true&resourceVersion=${resourceVersion}`,
      server.certificateAuthorityPem,
      apiToken,
      (event) => {
        const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
        const waiter = waiting.get(key);
        if (waiter && event.object.spec.powerState === waiter.powerState) {
          waiting.delete(key);
          waiter.resolve();
        }
      },
    );
    const actor = { id: admins[0]!.id, username: "admin", role: "administrator" as const };
    const actionTimes: number[] = [];
    for (const vm of sample) {
      const seen = new Promise<void>((resolve) => waiting.set(`${vm.namespace}/${vm.name}`, { powerState: "PoweredOff", resolve }));
      const started = performance.now();
      await setVirtualMachinePowerState(actor, { namespace: vm.namespace, name: vm.name, powerState: "PoweredOff" }, pool);
      await seen;
      actionTimes.push(performance.now() - started);
    }
    stop();

    process.stdout.write(
      `${JSON.stringify({
        vms: seed.vms,
        listAllChunked500MsP50: percentile(listTimes, 0.5),
        listAllChunked500MsP95: percentile(listTimes, 0.95),
        serverPageOf500MsP50: percentile(pageTimes, 0.5),
        serverPageOf500MsP95: percentile(pageTimes, 0.95),
        getOneMsP50: percentile(getTimes, 0.5),
        getOneMsP95: percentile(getTimes, 0.95),
        actionToWatchEventMsP50: percentile(actionTimes, 0.5),
        actionToWatchEventMsP99: percentile(actionTimes, 0.99),
        samples: { lists, gets, actions: actionTimes.length },
      })}\n`,
    );
  } finally {
    await server.close();
    await engine.stop();
    await pool.end();
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench:api] failed: ${error.message}`);
    process.exit(1);
  },
);
