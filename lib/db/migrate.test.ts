import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate } from "@/lib/db/migrate";

const committedMigrations = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

async function tableNames(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  await client.end();
  return rows.map((row) => row.tablename);
}

describe("migrate", () => {
  it("applies nothing the second time: migrations are idempotent across restarts", async () => {
    // The per-file database is cloned from an already migrated template.
    expect(await migrate(process.env.DATABASE_URL!)).toEqual([]);
    expect(await migrate(process.env.DATABASE_URL!)).toEqual([]);
    expect(await tableNames(process.env.DATABASE_URL!)).toContain("resources");
  });

  it("applies a new migration once even when two processes start together", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "skylight-migrations-"));
    cpSync(committedMigrations, directory, { recursive: true });
    const added = path.join(directory, "29991231000000_add_probe");
    cpSync(path.join(directory, "20261125000000_init"), added, { recursive: true });
    writeFileSync(path.join(added, "migration.sql"), "CREATE TABLE probe (id int PRIMARY KEY);");

    const results = await Promise.all([migrate(process.env.DATABASE_URL!, directory), migrate(process.env.DATABASE_URL!, directory)]);
    expect(results.flat()).toEqual(["29991231000000_add_probe"]);
    expect(await tableNames(process.env.DATABASE_URL!)).toContain("probe");
  });

  it("refuses to start when an applied migration was edited", async () => {
    const directory = mkdtempSync(path.join(tmpdir(), "skylight-migrations-"));
    cpSync(committedMigrations, directory, { recursive: true });
    writeFileSync(path.join(directory, "20261125000000_init", "migration.sql"), "SELECT 1;");
    await expect(migrate(process.env.DATABASE_URL!, directory)).rejects.toThrow(/was edited after it was applied/);
  });
});
