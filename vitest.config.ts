import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run server modules directly: resolve `server-only` as the React server build does.
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["lib/testing/global-setup.ts"],
    setupFiles: ["lib/testing/fresh-database.ts"],
    pool: "forks",
    // Most test time is spent waiting on PostgreSQL, kubectl and engine timers, so three files at
    // once on a 2-core machine finish in two thirds of the time two take.
    maxWorkers: 3,
    // Generous for a slow 2-core machine under three files at once: a slow moment must not fail a run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
