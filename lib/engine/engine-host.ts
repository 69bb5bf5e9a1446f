// Starts this process's engine (inside the Next.js server by default, or alone with
// `npm run engine`) unless SKYLIGHT_ENGINE=off, and stops it cleanly on shutdown.
import { getPool } from "@/lib/db/pool";
import { startEngine, type RunningEngine } from "@/lib/engine/engine";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { getProvider } from "@/lib/engine/provider-registry";

const processGlobal = globalThis as unknown as { skylightEngine?: RunningEngine };

export function startEngineInThisProcess(): RunningEngine | null {
  const config = readEngineConfig();
  const databaseUrl = process.env.DATABASE_URL;
  if (!config.enabled || !databaseUrl) return null;
  if (processGlobal.skylightEngine) return processGlobal.skylightEngine;
  const engine = startEngine({ databaseUrl, pool: getPool(), provider: getProvider(), config });
  processGlobal.skylightEngine = engine;
  console.log(`[engine] started ${engine.workerId} (simulation speed ${config.simSpeed}, ${config.concurrency} workers)`);
  const stop = () =>
    void engine
      .stop()
      .then(() => getPool().end())
      .finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return engine;
}
