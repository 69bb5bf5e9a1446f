import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";

const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-embedded-"));
const port = 17000 + Math.floor(Math.random() * 1000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data across a restart", async () => {
    const first = await startEmbeddedPostgres({ dataDir, port });
    await ensureDatabase(first.serverUrl, "skylight");
    await query(first.urlFor("skylight"), "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    try {
      await ensureDatabase(second.serverUrl, "skylight");
      expect(await query(second.urlFor("skylight"), "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  it("lets a second process on the same data directory share the running server", async () => {
    const owner = await startEmbeddedPostgres({ dataDir, port });
    try {
      const sharer = await startEmbeddedPostgres({ dataDir, port: port + 1 });
      expect(sharer.serverUrl).toBe(owner.serverUrl);
      await sharer.stop();
      expect(await query(owner.serverUrl, "SELECT 1 AS alive")).toEqual([{ alive: 1 }]);
    } finally {
      await owner.stop();
    }
  });
});
