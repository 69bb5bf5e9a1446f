// An open `kubectl get -w` ends when its access ends: the token revoked, the user disabled or
// demoted, or the user removed from the namespace it watches. The server re-checks every open
// watch on a timer (shortened here), and at once when the database says the user's access changed; kubectl's next
// request is then refused.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserActor } from "@/lib/auth/authorize";
import { createNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { createApiToken, revokeApiToken } from "@/lib/kube/api-tokens";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { startKubeApiServer, type RunningKubeServer } from "@/lib/kube/kube-server";
import { CLUSTER, NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, KUBECTL, type KubeHarness } from "@/lib/testing/kube-harness";
import { setUserDisabled, setUserRole } from "@/lib/users/user-admin";

const RECHECK_MS = 500;
let kube: KubeHarness;
/** A second server whose watches re-check only once a minute, so only an access-change notice can end them in time. */
let slow: RunningKubeServer;
const ADMIN: UserActor = { id: "user-admin", username: "admin", role: "administrator" };

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6564, hosts: 1, watchRecheckIntervalMs: RECHECK_MS });
  slow = await startKubeApiServer({ pool: kube.pool, connectionString: process.env.DATABASE_URL!, port: 6565, host: "127.0.0.1", hostnames: [], watchRecheckIntervalMs: 60_000 });
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "watched", spec: vmSpec() }, kube.pool);
});
afterAll(async () => {
  await slow?.close();
  await kube?.stopKube();
});

async function addDeveloper(username: string): Promise<string> {
  const id = `user-${username}`;
  await kube.pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ($1, $2, $3, $2, 'developer', now())`, [id, username, `${username}@skylight.test`]);
  return id;
}

async function grant(permissions: { kind: "User"; name: string; role: "view" | "edit" | "owner" }[]) {
  await setNamespacePermissions(OPERATOR, { name: NAMESPACE, permissions }, kube.pool);
}

/** A kubeconfig with a new token for the user, against `server`. */
async function kubeconfigFor(userId: string, username: string, server: RunningKubeServer = kube.server) {
  const { id, token } = await createApiToken(kube.pool, { userId, name: "watch" });
  const file = path.join(kube.scratchDir, `watch-${username}-${id}.yaml`);
  writeFileSync(file, buildKubeconfig({ server: `https://127.0.0.1:${server.port}`, certificateAuthorityPem: server.certificateAuthorityPem, username, token }));
  return { file, tokenId: id };
}

/** kubectl with that kubeconfig; its stderr (empty when it succeeded). */
function kubectlWith(kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve) => execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: kubeconfig } }, (_error, _stdout, stderr) => resolve(stderr)));
}

interface Watcher {
  output: () => string;
  exited: Promise<number | null>;
  child: ChildProcess;
}

/** `kubectl get <args> -w`, once its first row is printed. */
async function watch(kubeconfig: string, args: string[]): Promise<Watcher> {
  const child = spawn(KUBECTL, ["get", ...args, "-w", "--output-watch-events"], { env: { ...process.env, KUBECONFIG: kubeconfig } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await waitFor(async () => /ADDED/.test(output), "the watch's first row", 15_000, async () => output);
  return { output: () => output, exited, child };
}

/** How long the watch takes to end after `change`; a watch still open after `withinMs` fails the test. */
async function endsAfter(watcher: Watcher, change: () => Promise<unknown>, withinMs: number): Promise<number> {
  const started = Date.now();
  await change();
  const ended = await Promise.race([watcher.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), withinMs))]);
  watcher.child.kill();
  expect(ended, `the watch was still open ${withinMs} ms later:\n${watcher.output()}`).toBe(true);
  return Date.now() - started;
}

describe("watches end when access ends", () => {
  test("a watch whose access holds goes on across re-checks and keeps delivering", async () => {
    const userId = await addDeveloper("kept");
    await createNamespace(ADMIN, { name: "kept-space", cluster: CLUSTER, permissions: [{ kind: "User", name: "kept", role: "view" }] }, kube.pool);
    await grant([{ kind: "User", name: "kept", role: "view" }]);
    const { file } = await kubeconfigFor(userId, "kept");
    const watcher = await watch(file, ["vm", "-A"]);
    try {
      await new Promise((resolve) => setTimeout(resolve, RECHECK_MS * 4));
      await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "watched", powerState: "PoweredOff" }, kube.pool);
      await waitFor(async () => /MODIFIED\s+apps\s+watched/.test(watcher.output()), "the change after the re-checks", 10_000, async () => watcher.output());
      expect(watcher.child.exitCode).toBeNull();
    } finally {
      watcher.child.kill();
    }
  });

  test("revoking the token ends a developer's kubectl get -w within the re-check interval; the token is then refused", async () => {
    const userId = await addDeveloper("wendy");
    await grant([{ kind: "User", name: "wendy", role: "edit" }]);
    const { file, tokenId } = await kubeconfigFor(userId, "wendy");
    const watcher = await watch(file, ["vm", "-n", NAMESPACE]);
    expect(await endsAfter(watcher, () => revokeApiToken(kube.pool, { id: tokenId }), RECHECK_MS + 3_000)).toBeLessThan(RECHECK_MS + 3_000);
    expect(watcher.output()).toContain("Unauthorized");
    expect(await kubectlWith(file, ["get", "vm", "-n", NAMESPACE])).toContain("error: You must be logged in to the server (Unauthorized)");
  });

  test("disabling the user ends their watch", async () => {
    const userId = await addDeveloper("dora");
    await grant([{ kind: "User", name: "dora", role: "view" }]);
    const { file } = await kubeconfigFor(userId, "dora");
    const watcher = await watch(file, ["vm", "-n", NAMESPACE]);
    await endsAfter(watcher, () => setUserDisabled(ADMIN, { userId, disabled: true }), RECHECK_MS + 3_000);
    expect(watcher.output()).toContain("Unauthorized");
  });

  test("a developer removed from the namespace stops getting its objects: the watch ends, and watching again is Forbidden", async () => {
    const userId = await addDeveloper("remy");
    await grant([{ kind: "User", name: "remy", role: "view" }]);
    const { file } = await kubeconfigFor(userId, "remy");
    const watcher = await watch(file, ["vm", "-n", NAMESPACE]);
    await endsAfter(watcher, () => grant([]), RECHECK_MS + 3_000);
    expect(await kubectlWith(file, ["get", "vm", "-n", NAMESPACE])).toContain('User "remy" cannot list resource "virtualmachines"');
  });

  test("an operator demoted to developer stops watching hosts", async () => {
    await kube.pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ('user-otto', 'otto', 'otto@skylight.test', 'otto', 'operator', now())`);
    const { file } = await kubeconfigFor("user-otto", "otto");
    const watcher = await watch(file, ["hosts"]);
    await endsAfter(watcher, () => setUserRole(ADMIN, { userId: "user-otto", role: "developer" }), RECHECK_MS + 3_000);
    expect(watcher.output()).toContain("Forbidden");
  });

  test("revoking a token ends its watches at once, through the access-change notice, without waiting for the timer", async () => {
    const userId = await addDeveloper("nina");
    await grant([{ kind: "User", name: "nina", role: "view" }]);
    const { file, tokenId } = await kubeconfigFor(userId, "nina", slow);
    const watcher = await watch(file, ["vm", "-n", NAMESPACE]);
    const kept = await watch((await kubeconfigFor("user-admin", "admin", slow)).file, ["vm", "-n", NAMESPACE]);
    expect(await endsAfter(watcher, () => revokeApiToken(kube.pool, { id: tokenId }), 3_000)).toBeLessThan(3_000);
    // The administrator's watch, whose access holds, goes on.
    expect(kept.child.exitCode).toBeNull();
    kept.child.kill();
  });
});
