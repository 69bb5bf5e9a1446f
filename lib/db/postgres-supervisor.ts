// Keeps the embedded PostgreSQL running while Skylight uses it. Every Skylight process on a data
// directory supervises its one server: the process that started it hears it exit at once, the
// others read postmaster.pid twice a second. Whoever notices first starts it again on the same
// port; PostgreSQL's lock file lets only one start win, and the others then find it running (so
// the server also outlives the process that started it). The new server replays the write-ahead
// log, so every committed write is there again, and the app's connections reconnect by
// themselves. A server that does not accept connections again within the bound is handed to
// `onGiveUp` with PostgreSQL's own last words.
import pg from "pg";
import {
  openEmbeddedCluster,
  PostgresStartError,
  type EmbeddedPostgresOptions,
  type PostgresExit,
  type PostgresProcess,
  type RunningPostgres,
} from "@/lib/db/embedded-postgres";
import { logError } from "@/lib/log/rate-limited-log";

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

export interface SupervisorOptions extends EmbeddedPostgresOptions {
  /** How long a server that stopped may take to accept connections again before Skylight gives up. */
  restartWithinMs: number;
  /** How often a process that did not start the server checks that it still runs. */
  checkEveryMs?: number;
  /** Where the crash and the restart are reported. */
  report: (line: string) => void;
  onGiveUp: (error: Error) => void;
}

export async function superviseEmbeddedPostgres(options: SupervisorOptions): Promise<RunningPostgres> {
  const cluster = await openEmbeddedCluster(options);
  let owned: PostgresProcess | undefined;
  let stopping = false;
  let recovering = false;

  const own = (server: PostgresProcess) => {
    owned = server;
    void server.exited.then((exit) => {
      if (owned !== server) return;
      owned = undefined;
      void recover(`(pid ${server.pid}) exited ${describeExit(exit)}`);
    });
  };

  async function recover(what: string) {
    if (stopping || recovering) return;
    recovering = true;
    const since = Date.now();
    const after = () => `${((Date.now() - since) / 1000).toFixed(1)} s`;
    options.report(`the embedded PostgreSQL ${what}; starting it again on port ${cluster.port}`);
    let delay = FIRST_RETRY_MS;
    let lastFailure: Error | undefined;
    try {
      while (!stopping) {
        if (await acceptsConnections(cluster.serverUrl)) {
          options.report(`the embedded PostgreSQL accepts connections again after ${after()} (started by another Skylight process)`);
          return;
        }
        if (!(await cluster.findRunning())) {
          try {
            const server = await cluster.launch({ create: false });
            if (stopping) return void (await server.stop());
            own(server);
            options.report(`the embedded PostgreSQL is running again (pid ${server.pid}) after ${after()}`);
            return;
          } catch (error) {
            lastFailure = error as Error;
            logError("[skylight] starting the embedded PostgreSQL again failed", error);
          }
        }
        // Otherwise another process's server is starting (or replaying its log): give it time.
        if (Date.now() - since + delay > options.restartWithinMs) {
          stopping = true;
          options.onGiveUp(giveUpError(cluster.directory, options.restartWithinMs, lastFailure));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, LONGEST_RETRY_MS);
      }
    } finally {
      recovering = false;
    }
  }

  if (!(await cluster.findRunning())) own(await cluster.launch({ create: true }));

  const check = setInterval(() => {
    if (stopping || recovering || owned) return;
    void cluster.findRunning().then((running) => {
      if (!running && !owned) void recover("is no longer running");
    });
  }, options.checkEveryMs ?? 500);
  check.unref();

  // A process on its way out stops the server it runs (embedded-postgres's exit hook does this on
  // these events too): that exit is no crash.
  const markStopping = () => {
    stopping = true;
  };
  const endings = ["SIGINT", "SIGTERM", "beforeExit"] as const;
  for (const ending of endings) process.on(ending, markStopping);

  return {
    serverUrl: cluster.serverUrl,
    urlFor: cluster.urlFor,
    async stop() {
      stopping = true;
      clearInterval(check);
      for (const ending of endings) process.off(ending, markStopping);
      await owned?.stop();
    },
  };
}

async function acceptsConnections(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describeExit({ code, signal }: PostgresExit): string {
  return signal ? `on ${signal}` : `with code ${code}`;
}

function giveUpError(directory: string, withinMs: number, lastFailure: Error | undefined): Error {
  const why =
    lastFailure instanceof PostgresStartError
      ? `${lastFailure.message}\nPostgreSQL's last words:\n${lastFailure.lastWords.map((line) => `  ${line}`).join("\n")}`
      : (lastFailure?.message ?? "another process's server on it never accepted connections");
  return new Error(
    `The embedded PostgreSQL in ${directory} stopped and did not start again within ${withinMs / 1000} s. ${why}\n` +
      "Skylight stops here: fix the cause, then start it again (its data is kept).",
  );
}
