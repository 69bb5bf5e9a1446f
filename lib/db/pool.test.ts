// withTransaction's commit waits for no WAL flush of its own, then flushes before it returns
// (lib/db/pool.ts): whatever it returned is on disk, which is what "acknowledged" promises.
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { withTransaction } from "@/lib/db/pool";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
beforeAll(() => pool.query("CREATE TABLE flush_probe (n int)"));
afterAll(() => pool.end());

test("a transaction is flushed to the WAL on disk by the time withTransaction returns", async () => {
  // The test server runs without synchronous commit, so only the explicit flush can bring the
  // flushed position past this transaction's own records at once (the WAL writer wakes every 200 ms).
  for (let attempt = 0; attempt < 20; attempt++) {
    const written = await withTransaction(pool, async (tx) => {
      await tx.query("INSERT INTO flush_probe VALUES ($1)", [attempt]);
      return (await tx.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]!.lsn;
    });
    const { rows } = await pool.query<{ flushed: boolean }>("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS flushed", [written]);
    expect(rows[0]!.flushed, `attempt ${attempt}`).toBe(true);
  }
});
