// The engine's connection pool: plain `pg`, because the engine's hot paths are hand-written SQL
// (one statement per step) where Prisma's per-query overhead would dominate.
import pg from "pg";

// Bigints (resourceVersion, generation) arrive as strings; counts we cast to int in SQL.
export type Db = Pick<pg.Pool, "query">;

const processGlobal = globalThis as unknown as { skylightPool?: pg.Pool };

export function createPool(databaseUrl: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on("error", (error: Error & { code?: string }) => {
    // 57P01: the server is shutting down (the embedded PostgreSQL stopping with us); not news.
    if (error.code !== "57P01") console.error("[skylight] idle database connection failed:", error.message);
  });
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

export async function withTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
