// The database a command-line script talks to directly, as the console does: DATABASE_URL, or the
// embedded PostgreSQL of SKYLIGHT_DATA_DIR (shared with a running console), migrated to the
// current schema. `close()` ends the pool and stops an embedded server the script started.
import pg from "pg";
import type { SkylightConfig } from "@/lib/config";
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";

export interface ScriptDatabase {
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function openScriptDatabase(config: SkylightConfig, poolSize = 2): Promise<ScriptDatabase> {
  let embedded: RunningPostgres | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort });
    await ensureDatabase(embedded.serverUrl, "skylight");
    databaseUrl = embedded.urlFor("skylight");
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const close = async () => {
    await pool.end();
    await embedded?.stop();
  };
  try {
    await migrate(databaseUrl);
  } catch (error) {
    await close();
    throw error;
  }
  return { pool, close };
}
