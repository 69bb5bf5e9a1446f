// `npm run kubeconfig -- --user NAME [--server URL] [--name TOKEN_NAME]`: creates an API token for
// the user and prints a kubeconfig for it with a context per namespace of theirs (lib/kube/user-kubeconfig.ts,
// as the console's download).
// `npm run kubeconfig -- --service-account NAMESPACE/NAME [--duration 24h] [--server URL]`: mints a
// token for the service account (10m to 8760h, as `kubectl create token`) and prints a kubeconfig
// for it with a context for its namespace (lib/kube/service-account-kubeconfig.ts).
// Either talks to the database directly (DATABASE_URL, or the embedded PostgreSQL of
// SKYLIGHT_DATA_DIR, shared with a running console): whoever can run it against the database holds
// every credential already, so scripts need no browser and no token to get one.
import { parseArgs } from "node:util";
import { readConfig } from "@/lib/config";
import { openScriptDatabase } from "@/lib/db/script-database";
import { issueServiceAccountKubeconfig } from "@/lib/kube/service-account-kubeconfig";
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from "@/lib/kube/service-account-tokens";
import { issueKubeconfig } from "@/lib/kube/user-kubeconfig";

const USAGE = "usage: npm run kubeconfig -- --user NAME [--server URL] [--name TOKEN_NAME]\n       npm run kubeconfig -- --service-account NAMESPACE/NAME [--duration 24h] [--server URL]";
const { values } = parseArgs({ options: { user: { type: "string" }, "service-account": { type: "string" }, duration: { type: "string" }, server: { type: "string" }, name: { type: "string" } } });

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Go's duration as kubectl's --duration takes it, in whole hours, minutes and seconds: "24h", "1h30m", "600s". */
function durationSeconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!text || !match) fail(`--duration must be hours, minutes and seconds like 24h, 1h30m or 600s; got ${text}`);
  const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  if (seconds < MIN_TOKEN_SECONDS || seconds > MAX_TOKEN_SECONDS) fail(`--duration must be from 10m to 8760h (one year); got ${text}`);
  return seconds;
}

const account = values["service-account"];
if (!values.user === !account) fail(USAGE);
const [accountNamespace, accountName, ...extra] = account?.split("/") ?? [];
if (account && (!accountNamespace || !accountName || extra.length > 0)) fail(`--service-account must be NAMESPACE/NAME; got ${account}`);
const seconds = durationSeconds(values.duration ?? "24h");

const config = readConfig();
const server = values.server ?? `https://localhost:${config.kubePort}`;
if (!/^https:\/\//.test(server)) fail(`--server must be an https:// URL (kubectl sends tokens only over TLS); got ${server}`);

const database = await openScriptDatabase(config);
const { pool } = database;
let exitCode = 0;
try {
  if (accountNamespace && accountName) {
    process.stdout.write((await issueServiceAccountKubeconfig(pool, { namespace: accountNamespace, name: accountName }, { server, seconds })).kubeconfig);
  } else {
    const { rows } = await pool.query<{ id: string; username: string; banned: boolean }>(`SELECT id, username, banned FROM users WHERE username = $1`, [values.user]);
    const user = rows[0];
    if (!user) throw new Error(`There is no user named "${values.user}".`);
    if (user.banned) throw new Error(`The user "${values.user}" is disabled.`);
    const tokenName = values.name ?? `kubeconfig (${new Date().toISOString().slice(0, 16).replace("T", " ")})`;
    process.stdout.write(await issueKubeconfig(pool, user, { server, tokenName }));
  }
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
