// What the benchmark scripts share: the throwaway PostgreSQL, pools and engine a run holds, let go
// however the run ends (done, failed, Ctrl-C or `timeout`), and the exit code it ends with.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import type { RunningEngine } from "@/lib/engine/engine";

/** A failure the benchmark explains in its own words, with the exit code to end on. */
export class BenchExit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** What a run holds; the script fills it in as it goes. */
export interface BenchResources {
  scratchDir?: string;
  server?: RunningPostgres;
  pools: pg.Pool[];
  engine?: RunningEngine;
  /**
   * Set once the run is stopping, when errors from connections being cut are expected: pg's
   * pool.end() does not wait for its connections to close, so the server's stop may cut them.
   */
  closing: boolean;
}

export function benchResources(): BenchResources {
  return { pools: [], closing: false };
}

/**
 * A throwaway embedded PostgreSQL with the production settings on a random port, held by the run,
 * and its migrated `bench` database: returns that database's URL.
 */
export async function throwawayDatabase(run: BenchResources, prefix: string, progress: (message: string) => void): Promise<string> {
  run.scratchDir = mkdtempSync(path.join(tmpdir(), prefix));
  const port = 20000 + Math.floor(Math.random() * 10000);
  progress(`starting a throwaway PostgreSQL on port ${port} in ${run.scratchDir}`);
  run.server = await startEmbeddedPostgres({ dataDir: run.scratchDir, port });
  await ensureDatabase(run.server.serverUrl, "bench");
  const url = run.server.urlFor("bench");
  await migrate(url);
  return url;
}

/** Runs `main`, then lets go of what the run holds and exits: 0, the BenchExit's code, or 1. */
export async function runBench(run: BenchResources, main: () => Promise<void>, progress: (message: string) => void): Promise<never> {
  const cleanUp = async () => {
    await run.engine?.stop().catch(() => undefined);
    run.closing = true;
    await Promise.all(run.pools.map((each) => each.end().catch(() => undefined)));
    await run.server?.stop().catch((error: Error) => progress(`could not stop PostgreSQL: ${error.message}`));
    if (run.scratchDir) rmSync(run.scratchDir, { recursive: true, force: true });
  };
  // `timeout` and Ctrl-C still stop the throwaway PostgreSQL and remove its directory.
  // embedded-postgres stops its server on the same signals (and then exits), cutting connections
  // still in use: those errors are expected now, and the directory goes on exit whoever calls it.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      run.closing = true;
      progress(`${signal}: stopping`);
      process.on("uncaughtException", () => undefined);
      void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  process.on("exit", () => {
    if (run.scratchDir) rmSync(run.scratchDir, { recursive: true, force: true });
  });

  let exitCode = 0;
  try {
    await main();
  } catch (error) {
    exitCode = error instanceof BenchExit ? error.code : 1;
    // After a signal the failures are only the server going away under the run.
    if (!run.closing) progress(error instanceof Error ? (error instanceof BenchExit ? error.message : (error.stack ?? error.message)) : String(error));
  } finally {
    await cleanUp();
  }
  process.exit(exitCode);
}
