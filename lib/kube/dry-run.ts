// Dry run: the engine operation runs in full (validation, rules, admission) inside a transaction
// that is rolled back instead of committed, so the answer is exactly what the real write would
// give and nothing is stored, queued or announced.
import type pg from "pg";
import { COMMIT_STATEMENTS } from "@/lib/db/pool";

type Query = (...args: unknown[]) => Promise<unknown>;

export function dryRunPool(pool: pg.Pool): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    const commits = (config: unknown) => typeof config === "string" && (COMMIT_STATEMENTS.includes(config) || config.trim().toUpperCase() === "COMMIT");
    const query: Query = (config, ...rest) => (commits(config) ? client.query("ROLLBACK") : (client.query as Query)(config, ...rest));
    return Object.assign(Object.create(client) as pg.PoolClient, { query, release: (error?: Error | boolean) => client.release(error) });
  };
  // A statement outside a transaction runs in one of its own that is rolled back too.
  const query: Query = async (...args) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      return await (client.query as Query)(...args);
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  };
  return Object.assign(Object.create(pool) as pg.Pool, { connect, query });
}
