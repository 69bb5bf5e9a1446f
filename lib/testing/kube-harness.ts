// The Kubernetes API for tests: the engine harness's inventory and engine, the API server on a
// port of its own, users with tokens, and the real kubectl run against it with a kubeconfig.
import { execFile } from "node:child_process";
import { request as httpsRequest } from "node:https";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createHarness, DATASTORE, NAMESPACE, type Harness } from "@/lib/testing/engine-harness";
import { createApiToken } from "@/lib/kube/api-tokens";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { startKubeApiServer, type RunningKubeServer } from "@/lib/kube/kube-server";
import type { RegistryLimits } from "@/lib/registry/registry-limits";

const run = promisify(execFile);
export const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

/** The users with tokens: olivia (operator), dev (developer) and admin (administrator). */
export type KubeUser = "operator" | "developer" | "administrator";
const USERNAMES: Record<KubeUser, string> = { operator: "olivia", developer: "dev", administrator: "admin" };

export interface KubeHarness extends Harness {
  server: RunningKubeServer;
  kubeconfig: Record<KubeUser, string>;
  tokens: Record<KubeUser, string>;
  /** This harness's own temporary directory (kubeconfigs, kubectl's HOME), removed when it stops. */
  scratchDir: string;
  kubectl(
    args: string[],
    options?: { as?: KubeUser; input?: string; timeoutMs?: number; env?: Record<string, string>; binary?: string; kubeconfig?: string },
  ): Promise<{ stdout: string; stderr: string; code: number }>;
  /** One HTTPS request with a user's token, for bodies and parameters kubectl will not send. */
  request(method: string, path: string, options?: { as?: KubeUser; token?: string; body?: string | Buffer; contentType?: string }): Promise<KubeResponse>;
  stopKube(): Promise<void>;
  /** Another user with a token and a kubeconfig (pass it to kubectl as `kubeconfig`). */
  addUser(username: string, role: string): Promise<{ token: string; kubeconfig: string }>;
}

export interface KubeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): { code?: number; reason?: string; message?: string; details?: { causes?: { reason?: string; field?: string; message?: string }[]; retryAfterSeconds?: number } } & Record<string, unknown>;
}

async function addUser(harness: Harness, username: string, role: string): Promise<string> {
  const id = `user-${username}`;
  await harness.pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ($1, $2, $3, $2, $4, now())`, [id, username, `${username}@skylight.test`, role]);
  return id;
}

export async function createKubeHarness(options: {
  port: number;
  changeRetentionSeconds?: number;
  hosts?: number;
  watchRecheckIntervalMs?: number;
  registryLimits?: RegistryLimits;
}): Promise<KubeHarness> {
  const harness = await createHarness({ hosts: options.hosts ?? 3 });
  const server = await startKubeApiServer({
    pool: harness.pool,
    connectionString: process.env.DATABASE_URL!,
    port: options.port,
    host: "127.0.0.1",
    hostnames: [],
    changeRetentionSeconds: options.changeRetentionSeconds,
    watchRecheckIntervalMs: options.watchRecheckIntervalMs,
    registryLimits: options.registryLimits,
  });
  const directory = mkdtempSync(path.join(tmpdir(), "skylight-kube-"));
  const tokens = {} as KubeHarness["tokens"];
  const kubeconfig = {} as KubeHarness["kubeconfig"];
  const withToken = async (username: string, role: string, file: string) => {
    const userId = await addUser(harness, username, role);
    const { token } = await createApiToken(harness.pool, { userId, name: "test" });
    const written = path.join(directory, `${file}.yaml`);
    writeFileSync(written, buildKubeconfig({ server: `https://127.0.0.1:${server.port}`, certificateAuthorityPem: server.certificateAuthorityPem, username: file, token }));
    return { token, kubeconfig: written };
  };
  for (const [who, role] of [["operator", "operator"], ["developer", "developer"], ["administrator", "administrator"]] as const) {
    ({ token: tokens[who], kubeconfig: kubeconfig[who] } = await withToken(USERNAMES[who], role, who));
  }
  const kube: KubeHarness = {
    ...harness,
    server,
    tokens,
    kubeconfig,
    scratchDir: directory,
    async kubectl(args, { as = "operator", input, timeoutMs = 30_000, env, binary = KUBECTL, kubeconfig: file = kubeconfig[as] } = {}) {
      const child = run(binary, args, { env: { ...process.env, ...env, KUBECONFIG: file, HOME: directory }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
      if (input !== undefined) {
        child.child.stdin?.end(input);
      }
      try {
        const { stdout, stderr } = await child;
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failure = error as { stdout?: string; stderr?: string; code?: number };
        return { stdout: failure.stdout ?? "", stderr: failure.stderr ?? "", code: typeof failure.code === "number" ? failure.code : 1 };
      }
    },
    request(method, requestPath, { as = "administrator", token, body, contentType = "application/json" } = {}) {
      return new Promise<KubeResponse>((resolve, reject) => {
        const outgoing = httpsRequest(
          { host: "127.0.0.1", port: server.port, method, path: requestPath, ca: server.certificateAuthorityPem, agent: false, headers: { authorization: `Bearer ${token ?? tokens[as]}`, "content-type": contentType, accept: "application/json", "content-length": body === undefined ? 0 : Buffer.byteLength(body) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) });
            });
            response.on("error", reject);
          },
        );
        outgoing.on("error", reject);
        outgoing.end(body);
      });
    },
    async stopKube() {
      await kube.server.close();
      await harness.stop();
      rmSync(directory, { recursive: true, force: true });
    },
    addUser: (username, role) => withToken(username, role, username),
  };
  return kube;
}

/** A small vm-operator VirtualMachine manifest in the harness's namespace, as kubectl reads one. */
export const vmManifest = (name: string, powerState: string) => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: ${DATASTORE}
  powerState: ${powerState}
`;
