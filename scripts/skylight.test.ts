// The launcher as a user runs it (`npm run engine`, a real child process on its own embedded
// PostgreSQL), its postmaster killed with SIGKILL while VMs are being created through the
// Kubernetes API (served from this test process, a second process sharing that server).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createPool } from "@/lib/db/pool";
import { createApiToken } from "@/lib/kube/api-tokens";
import { startKubeApiServer, type RunningKubeServer } from "@/lib/kube/kube-server";
import { waitFor } from "@/lib/testing/engine-harness";

const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-launcher-"));
const pgPort = 20000 + Math.floor(Math.random() * 1000);
const RESTART_SECONDS = 5;
const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

function startLauncher() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SKYLIGHT_DATA_DIR: dataDir,
    SKYLIGHT_EMBEDDED_PG_PORT: String(pgPort),
    SKYLIGHT_EMBEDDED_PG_RESTART_SECONDS: String(RESTART_SECONDS),
    SKYLIGHT_ADMIN_PASSWORD: "launcher-test-password",
    SKYLIGHT_SIM_SPEED: "0",
  };
  delete env.DATABASE_URL;
  delete env.BETTER_AUTH_SECRET;
  // tsx as a loader of this very process, so the launcher is the child itself (see engine-crash.test.ts).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/skylight.ts", "engine"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: { at: number; text: string }[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on("line", (text) => lines.push({ at: Date.now(), text }));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    try {
      process.kill(postmasterPid(), "SIGKILL");
    } catch {
      // Already gone.
    }
  });
  return { lines, exited, linesSince: (at: number) => lines.filter((line) => line.at >= at).map((line) => line.text) };
}

function kubeClient(server: RunningKubeServer, token: string) {
  const agent = new Agent({ ca: server.certificateAuthorityPem, keepAlive: true });
  return (method: string, urlPath: string, body?: unknown) =>
    new Promise<{ status: number; body: { items?: { metadata: { name: string }; status?: { powerState?: string } }[] } }>((resolve, reject) => {
      const outgoing = request(
        { host: "127.0.0.1", port: server.port, method, path: urlPath, agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : {} }));
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

const VMS = "/apis/vmoperator.vmware.com/v1alpha3/namespaces/ml-team/virtualmachines";
const vm = (name: string) => ({
  apiVersion: "vmoperator.vmware.com/v1alpha3",
  kind: "VirtualMachine",
  metadata: { name, namespace: "ml-team" },
  spec: { className: "best-effort-xsmall", imageName: "photon-5", storageClass: "edge-cluster-01-vsan", powerState: "PoweredOn" },
});

/** A log line without its count and numbers, so a line and its "(repeated …)" summary compare equal. */
const shapeOf = (line: string) => line.replace(/ \(repeated \d+ times? in the last [\d.]+ s\)$/, "").replace(/\d+/g, "#");

/** Lines written more than twice (once, and once more as a count), with how often. */
function repeatedShapes(lines: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(shapeOf(line), (counts.get(shapeOf(line)) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 2);
}

describe("the launcher's embedded PostgreSQL killed with SIGKILL", () => {
  it("is started again: the API answers again, no acknowledged write is lost, the engine converges, the log says so once; a server that cannot start stops Skylight with the reason", async () => {
    const launcher = startLauncher();
    await waitFor(async () => launcher.lines.some((line) => / is the leader$/.test(line.text)), "the launcher's engine to lead", 60_000, async () => launcher.lines);

    const password = readFileSync(path.join(dataDir, "postgres-password"), "utf8").trim();
    const databaseUrl = `postgresql://skylight:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/skylight`;
    const pool = createPool(databaseUrl, 8);
    cleanups.push(() => pool.end());
    const olivia = (await pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'olivia'")).rows[0]!;
    const { token } = await createApiToken(pool, { userId: olivia.id, name: "crash test" });
    const api = await startKubeApiServer({ pool, connectionString: databaseUrl, port: 0, host: "127.0.0.1", hostnames: [] });
    cleanups.push(() => api.close());
    const kube = kubeClient(api, token);
    const errors = vi.spyOn(console, "error");

    // Three writers create VMs as a client would, pausing briefly after a failure.
    const acknowledged: string[] = [];
    let attempts = 0;
    let failures = 0;
    let killedAt = 0;
    let answeredAgainAt = 0;
    const writer = async () => {
      const deadline = Date.now() + 40_000;
      while (acknowledged.length < 30 && Date.now() < deadline) {
        const name = `crash-${attempts++}`;
        const reply = await kube("POST", VMS, vm(name)).catch(() => ({ status: 0 }));
        if (reply.status === 201) {
          acknowledged.push(name);
          // (A create already running when the postmaster died may still commit and answer.)
          if (failures > 0 && !answeredAgainAt) answeredAgainAt = Date.now();
        } else {
          failures += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const writing = Promise.all([writer(), writer(), writer()]);
    await waitFor(async () => acknowledged.length >= 10, "ten VMs created before the crash");
    const crashed = postmasterPid();
    killedAt = Date.now();
    process.kill(crashed, "SIGKILL");
    await writing;

    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    expect(failures).toBeGreaterThan(0);
    expect(answeredAgainAt - killedAt).toBeLessThan(30_000);
    expect(postmasterPid()).not.toBe(crashed);

    // Every acknowledged VM is there and the engine (which lost its leader and connections) runs each.
    const converged = await waitFor(
      async () => {
        const list = await kube("GET", VMS).catch(() => undefined);
        const poweredOn = new Set(list?.body.items?.filter((item) => item.status?.powerState === "PoweredOn").map((item) => item.metadata.name));
        return acknowledged.every((name) => poweredOn.has(name)) && list;
      },
      "every acknowledged VM PoweredOn",
      30_000,
    );
    expect(converged.status).toBe(200);

    const afterCrash = launcher.linesSince(killedAt);
    expect(afterCrash).toContain(`[skylight] the embedded PostgreSQL (pid ${crashed}) exited on SIGKILL; starting it again on port ${pgPort}`);
    expect(afterCrash.some((line) => /^\[skylight\] the embedded PostgreSQL is running again \(pid \d+\) after \d+\.\d s$/.test(line))).toBe(true);
    expect(afterCrash.some((line) => / is the leader$/.test(line))).toBe(true);
    // No flood: each distinct line at most once and once more as its count, here and in this process.
    expect(repeatedShapes(afterCrash)).toEqual([]);
    const apiLines = errors.mock.calls.map((call) => String(call[0]));
    expect(apiLines.length).toBeLessThan(failures);
    expect(repeatedShapes(apiLines)).toEqual([]);
    errors.mockRestore();

    // Now a server that cannot start: PostgreSQL reads PG_VERSION only when it starts.
    renameSync(path.join(dataDir, "postgres", "PG_VERSION"), path.join(dataDir, "postgres", "PG_VERSION.hidden"));
    const secondCrash = Date.now();
    process.kill(postmasterPid(), "SIGKILL");
    const code = await Promise.race([launcher.exited, new Promise((resolve) => setTimeout(resolve, (RESTART_SECONDS + 10) * 1000, "still running"))]);
    expect(code).toBe(1);
    const lastWords = launcher.linesSince(secondCrash).join("\n");
    expect(lastWords).toContain(`[skylight] The embedded PostgreSQL in ${path.join(dataDir, "postgres")} stopped and did not start again within ${RESTART_SECONDS} s.`);
    expect(lastWords).toMatch(/PG_VERSION" is missing/);
    expect(lastWords).toContain("Skylight stops here: fix the cause, then start it again (its data is kept).");
  }, 120_000);
});
