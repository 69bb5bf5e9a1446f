// Vitest global setup: one throwaway embedded PostgreSQL for the whole run, with a migrated
// template database that each test file clones into a fresh database of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";

export const TEMPLATE_DATABASE = "skylight_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
    postgresDataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "skylight-test-"));
  const server = await startEmbeddedPostgres({ dataDir, port: 15432 + Math.floor(Math.random() * 1000), ephemeral: true });
  await ensureDatabase(server.serverUrl, TEMPLATE_DATABASE);
  await migrate(server.urlFor(TEMPLATE_DATABASE));
  // A template must have no other connections while it is cloned.
  const client = new pg.Client({ connectionString: server.serverUrl });
  await client.connect();
  await client.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true`);
  await client.end();

  project.provide("postgresServerUrl", server.serverUrl);
  project.provide("postgresDataDir", dataDir);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
