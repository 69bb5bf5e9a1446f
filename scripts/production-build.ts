// `npm start` serves the production build; this makes sure there is one that matches the sources.
// A fresh clone (no build yet) or sources changed since the last build (a `git pull`) are built
// first, with Next.js's own progress on the terminal, so the README's quick start is one command
// and nobody is served yesterday's console after an update.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What `next build` compiles: a change to any of these makes the build stale. */
const SOURCES = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs"];
const SKIPPED_FILES = /\.test\.tsx?$/;

function newestChange(entry: string): number {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return SKIPPED_FILES.test(entry) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, child)));
  return newest;
}

/** Why the build must be made now, or undefined when the one in `.next` is current. */
export function productionBuildNeed(root: string): string | undefined {
  const built = statSync(path.join(root, ".next", "BUILD_ID"), { throwIfNoEntry: false });
  if (!built) return "there is no production build yet";
  const newest = Math.max(...SOURCES.map((source) => newestChange(path.join(root, source))));
  return newest > built.mtimeMs ? "the sources changed since the last build" : undefined;
}

/** Builds the console when it must, showing the build's progress; exits when the build fails. */
export function ensureProductionBuild(root: string, log: (message: string) => void): void {
  const need = productionBuildNeed(root);
  if (!need) return;
  log(`Building the production console first, because ${need} (a few minutes, once):`);
  const build = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) {
    console.error("[skylight] The production build failed (its errors are above); nothing was started.");
    process.exit(build.status ?? 1);
  }
}
