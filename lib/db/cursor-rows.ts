// Reads a query's rows a chunk at a time through a server-side cursor, so a caller can stream
// 45,000 rows while holding only one chunk in memory. The cursor lives in a read-only transaction
// on a client of its own; stopping early (the consumer returns from its loop, or throws) rolls the
// transaction back and hands the client back to the pool; one that stalls is cut off after a minute.
import "server-only";
import type pg from "pg";
import { getPool } from "@/lib/db/pool";

export async function* cursorRows<Row extends pg.QueryResultRow>(sql: string, values: unknown[], chunkSize: number, pool: pg.Pool = getPool()): AsyncGenerator<Row[]> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    await client.query("BEGIN READ ONLY");
    // A reader that stops asking without letting go (a client that stalls mid-download) loses the
    // connection after this long, rather than holding it and its snapshot for good.
    await client.query("SET LOCAL idle_in_transaction_session_timeout = '60s'");
    await client.query(`DECLARE rows NO SCROLL CURSOR FOR ${sql}`, values);
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH FORWARD ${Math.max(1, Math.floor(chunkSize))} FROM rows`);
      if (rows.length === 0) break;
      yield rows;
      if (rows.length < chunkSize) break;
    }
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // A connection that failed mid-statement is discarded rather than reused.
    await client.query("ROLLBACK").catch((error: Error) => (failed ??= error));
    client.release(failed);
  }
}
