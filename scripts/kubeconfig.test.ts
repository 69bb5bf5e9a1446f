// `npm run kubeconfig`: a kubeconfig from the database alone, whose token and CA the API accepts.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { parse } from "yaml";
import { afterAll, expect, test } from "vitest";
import { userForToken } from "@/lib/kube/api-tokens";

const run = promisify(execFile);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
  users: { user: { token: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  "current-context": string;
}

test("prints a kubeconfig with the installation's CA, a working token for the user and a context per namespace of theirs", async () => {
  await pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ('u-olivia', 'Olivia', 'olivia@skylight.test', 'olivia', 'operator', now())`);
  for (const [name, permissions] of [["web-team", [{ kind: "User", name: "olivia", role: "owner" }]], ["data-team", [{ kind: "User", name: "olivia", role: "view" }]], ["finance", []]] as const) {
    await pool.query(`INSERT INTO resources (api_version, kind, name, spec) VALUES ('v1', 'Namespace', $1, $2)`, [name, { cluster: "c", permissions }]);
  }
  const { stdout } = await run("npx", ["tsx", "scripts/kubeconfig.ts", "--user", "olivia", "--server", "https://skylight.example:6443"], { env: { ...process.env } });
  const config = parse(stdout) as Kubeconfig;
  expect(config.clusters[0]!.cluster.server).toBe("https://skylight.example:6443");
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM system_settings WHERE key = 'kube.ca.certificate'`);
  expect(Buffer.from(config.clusters[0]!.cluster["certificate-authority-data"], "base64").toString()).toBe(rows[0]!.value);
  expect(await userForToken(pool, config.users[0]!.user.token)).toEqual({ id: "u-olivia", username: "olivia", role: "operator" });
  // As `kubectl vsphere login` writes them: each of olivia's namespaces (not finance, nor default), and the server.
  const user = "olivia@skylight.example:6443";
  expect(config.contexts).toEqual([
    { name: "data-team", context: { cluster: "skylight.example:6443", user, namespace: "data-team" } },
    { name: "web-team", context: { cluster: "skylight.example:6443", user, namespace: "web-team" } },
    { name: "skylight.example:6443", context: { cluster: "skylight.example:6443", user } },
  ]);
  expect(config["current-context"]).toBe("data-team");

  const missing = await run("npx", ["tsx", "scripts/kubeconfig.ts", "--user", "nobody"], { env: { ...process.env } }).catch((error: { stderr: string; code: number }) => error);
  expect(missing).toMatchObject({ code: 1, stderr: 'There is no user named "nobody".\n' });
});
