// The watch frontier never passes a resourceVersion whose transaction is still open, so a watch
// cannot skip a write that commits after later ones.
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { createWatchFrontier } from "@/lib/kube/watch-frontier";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const frontier = createWatchFrontier(pool, { connectionString: process.env.DATABASE_URL! });
afterAll(async () => {
  await frontier.close();
  await pool.end();
});

const relabel = async (db: Pick<pg.Pool, "query">, name: string) =>
  BigInt((await db.query<{ version: string }>(`UPDATE resources SET labels = '{"touched":"yes"}' WHERE kind = 'Datacenter' AND name = $1 RETURNING resource_version::text AS version`, [name])).rows[0]!.version);

test("stays below an open transaction's version, even the newest transaction's, and passes it once it commits", async () => {
  for (const name of ["dc-a", "dc-b"]) await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Datacenter", namespace: "", name, spec: {} });
  const open = await pool.connect();
  try {
    await open.query("BEGIN");
    const pending = await relabel(open, "dc-a");
    // The open transaction is the newest one: no later transaction has completed.
    expect(await frontier.current()).toBeLessThan(pending);

    const committed = await relabel(pool, "dc-b");
    expect(committed).toBeGreaterThan(pending);
    expect(await frontier.current()).toBeLessThan(pending);

    await open.query("COMMIT");
    expect(await frontier.current()).toBeGreaterThanOrEqual(committed);
  } finally {
    open.release();
  }
});

test("is not held back by a transaction left open in another database on the same server", async () => {
  // The maintenance database of the same server, where this database's sequence cannot be drawn from.
  const elsewhere = new URL(process.env.DATABASE_URL!);
  elsewhere.pathname = "/postgres";
  const other = new pg.Client({ connectionString: elsewhere.toString() });
  await other.connect();
  try {
    await other.query("BEGIN");
    await other.query("SELECT txid_current()");
    await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Datacenter", namespace: "", name: "dc-c", spec: {} });
    const committed = await relabel(pool, "dc-c");
    expect(await frontier.current()).toBeGreaterThanOrEqual(committed);
  } finally {
    await other.query("ROLLBACK");
    await other.end();
  }
});
