// `npm run kubeconfig -- --user NAME [--server URL] [--name TOKEN_NAME]`: creates an API token for
// the user and prints a kubeconfig for it with a context per namespace of theirs (lib/kube/user-kubeconfig.ts,
// as the console's download), talking to the database directly (DATABASE_URL, or the embedded
// PostgreSQL of SKYLIGHT_DATA_DIR, shared with a running console), so scripts need no browser.
import { parseArgs } from "node:util";
import { readConfig } from "@/lib/config";
import { openScriptDatabase } from "@/lib/db/script-database";
import { issueKubeconfig } from "@/lib/kube/user-kubeconfig";

const { values } = parseArgs({ options: { user: { type: "string" }, server: { type: "string" }, name: { type: "string" } } });
if (!values.user) {
  console.error("usage: npm run kubeconfig -- --user NAME [--server URL] [--name TOKEN_NAME]");
  process.exit(2);
}

const config = readConfig();
const server = values.server ?? `https://localhost:${config.kubePort}`;
if (!/^https:\/\//.test(server)) {
  console.error(`--server must be an https:// URL (kubectl sends tokens only over TLS); got ${server}`);
  process.exit(2);
}

const database = await openScriptDatabase(config);
const { pool } = database;
let exitCode = 0;
try {
  const { rows } = await pool.query<{ id: string; username: string; banned: boolean }>(`SELECT id, username, banned FROM users WHERE username = $1`, [values.user]);
  const user = rows[0];
  if (!user) throw new Error(`There is no user named "${values.user}".`);
  if (user.banned) throw new Error(`The user "${values.user}" is disabled.`);
  const tokenName = values.name ?? `kubeconfig (${new Date().toISOString().slice(0, 16).replace("T", " ")})`;
  process.stdout.write(await issueKubeconfig(pool, user, { server, tokenName }));
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
