// The engine's connection pool: plain `pg`, because the engine's hot paths are hand-written SQL
// (one statement per step) where Prisma's per-query overhead would dominate.
import pg from "pg";
import { logError } from "@/lib/log/rate-limited-log";

// Bigints (resourceVersion, generation) arrive as strings; counts we cast to int in SQL.
export type Db = Pick<pg.Pool, "query">;

const processGlobal = globalThis as unknown as { skylightPool?: pg.Pool };

export function createPool(databaseUrl: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on("error", (error: Error & { code?: string }) => {
    // 57P01: the server is shutting down (the embedded PostgreSQL stopping with us); not news.
    if (error.code !== "57P01") logError("[skylight] idle database connection failed", error);
  });
  // A checked-out client whose connection dies between statements emits 'error' with nobody
  // listening, and that would end the process (the server crashing mid-transaction did). Its
  // holder learns of it from its next statement, and the pool discards it on release.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

export function getPool(): pg.Pool {
  if (!processGlobal.skylightPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Skylight with `npm run dev`, `npm start` or `npm run engine`.");
    processGlobal.skylightPool = createPool(url, Number(process.env.SKYLIGHT_DB_POOL_SIZE ?? 20));
  }
  return processGlobal.skylightPool;
}

// A transaction that sends notices (the triggers behind live updates, the reconcile queue's) holds
// PostgreSQL's one notify lock from its commit until the commit returns, so with synchronous
// commit every such transaction waited for its WAL flush while all others queued for that lock:
// commits went one fsync at a time. Here the commit itself does not wait for the flush (the lock
// is held only while the commit record is written), and the same round trip then writes a WAL
// message and flushes the WAL up to it (PostgreSQL 17's pg_logical_emit_message(..., flush)):
// WAL is flushed in order, so when that returns this commit is on disk too, and flushes of
// concurrent transactions are shared. The caller still learns of the commit only once it is
// durable. What changes: for the moment between commit and flush, other sessions may see the
// commit; a crash of the PostgreSQL server in that moment loses it, and with it everything written
// after it that depended on it (recovery replays WAL in order), but not anything acknowledged.
// A server that cannot flush that way (before 17) commits synchronously, as before.
const DEFERRED_FLUSH = { begin: "BEGIN; SET LOCAL synchronous_commit TO off", commit: "COMMIT; SELECT pg_logical_emit_message(false, 'skylight', '', true)" };
const SYNCHRONOUS = { begin: "BEGIN", commit: "COMMIT" };
export const COMMIT_STATEMENTS: readonly string[] = [DEFERRED_FLUSH.commit, SYNCHRONOUS.commit];

const commitModes = new WeakMap<pg.Pool, Promise<typeof DEFERRED_FLUSH>>();

/** Whether the pool's server can flush the WAL on request, asked once per pool (by doing it). */
function commitMode(pool: pg.Pool): Promise<typeof DEFERRED_FLUSH> {
  let mode = commitModes.get(pool);
  if (!mode) {
    mode = pool.query("SELECT pg_logical_emit_message(false, 'skylight', '', true)").then(
      () => DEFERRED_FLUSH,
      (error: { code?: string }) => {
        // The server refused the call (no such function before 17, or not allowed): synchronous for
        // good. Anything else (no connection) says nothing about the server: ask again next time.
        if (!error.code || /^(08|57|53)/.test(error.code)) commitModes.delete(pool);
        return SYNCHRONOUS;
      },
    );
    commitModes.set(pool, mode);
  }
  return mode;
}

export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const mode = await commitMode(pool);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(mode.begin);
    const result = await work(client);
    await client.query(mode.commit);
    return result;
  } catch (error) {
    // A client that cannot even roll back is not handed out again.
    broken = await client.query("ROLLBACK").then(() => undefined, (rollbackError: Error) => rollbackError);
    throw error;
  } finally {
    client.release(broken);
  }
}
