// Vitest global setup: one throwaway embedded PostgreSQL for the whole run, with a migrated
// template database that each test file clones into a fresh database of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { checkoutBusyboxImage } from "@/lib/containers/busybox-image";
import { checkoutTinyImage } from "@/lib/hypervisor/tiny-image";
import { checkoutCrxImage } from "@/lib/spherelet/agent/crx-image";

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

  // The images the real-host tests boot and run, built once before any file asks: files running at
  // once would otherwise each build them into the same cache. A machine that cannot build them
  // fails only the files that need them, with the reason.
  for (const checkout of [checkoutTinyImage, checkoutBusyboxImage, checkoutCrxImage]) {
    await checkout().catch((error: Error) => console.warn(`global setup: ${checkout.name}: ${error.message}`));
  }

  project.provide("postgresServerUrl", server.serverUrl);
  project.provide("postgresDataDir", dataDir);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
