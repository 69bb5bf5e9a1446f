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

test("prints a kubeconfig with the installation's CA and a working token for the user", async () => {
  await pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ('u-olivia', 'Olivia', 'olivia@skylight.test', 'olivia', 'operator', now())`);
  const { stdout } = await run("npx", ["tsx", "scripts/kubeconfig.ts", "--user", "olivia", "--server", "https://skylight.example:6443"], { env: { ...process.env } });
  const config = parse(stdout) as { clusters: { cluster: { server: string; "certificate-authority-data": string } }[]; users: { user: { token: string } }[]; "current-context": string };
  expect(config.clusters[0]!.cluster.server).toBe("https://skylight.example:6443");
  const { rows } = await pool.query<{ value: string }>(`SELECT value FROM system_settings WHERE key = 'kube.ca.certificate'`);
  expect(Buffer.from(config.clusters[0]!.cluster["certificate-authority-data"], "base64").toString()).toBe(rows[0]!.value);
  expect(await userForToken(pool, config.users[0]!.user.token)).toEqual({ id: "u-olivia", username: "olivia", role: "operator" });
  expect(config["current-context"]).toBe("olivia@skylight");

  const missing = await run("npx", ["tsx", "scripts/kubeconfig.ts", "--user", "nobody"], { env: { ...process.env } }).catch((error: { stderr: string; code: number }) => error);
  expect(missing).toMatchObject({ code: 1, stderr: 'There is no user named "nobody".\n' });
});
