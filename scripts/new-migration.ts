// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the schema as of a
// git revision (default HEAD) to the working prisma/schema.prisma. Prisma's CLI only diffs with a
// database reachable through the adapter, so a throwaway embedded PostgreSQL is started for it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";

const [name, fromRevision = "HEAD"] = process.argv.slice(2);
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name> [git-revision]");
  process.exit(2);
}

const scratch = mkdtempSync(path.join(tmpdir(), "skylight-migration-"));
const previousSchema = path.join(scratch, "schema.prisma");
writeFileSync(previousSchema, execFileSync("git", ["show", `${fromRevision}:prisma/schema.prisma`], { encoding: "utf8" }));

const server = await startEmbeddedPostgres({ dataDir: scratch, port: 5400 + Math.floor(Math.random() * 80), ephemeral: true });
try {
  await ensureDatabase(server.serverUrl, "scratch");
  const sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-schema-datamodel", previousSchema, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: server.urlFor("scratch") } },
  );
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const directory = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path.join(directory, "migration.sql"), sql);
  console.log(`Wrote ${directory}/migration.sql; read it before committing.`);
} finally {
  await server.stop();
}
