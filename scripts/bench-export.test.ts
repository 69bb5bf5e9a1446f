// `npm run bench:export` at a tiny size, on a throwaway embedded PostgreSQL as a user runs it: the
// benchmark seeds, exports, checks its row counts against the database and reports every figure.
// How fast and how lean the export is at 45,000 VMs is the benchmark's business (README, Benchmarks), not a test's.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);

test("bench:export exports a filtered and the whole VM list and the events, and prints one JSON line of seconds, rows, bytes and memory", async () => {
  const { DATABASE_URL: _testDatabase, ...environment } = process.env;
  const { stdout } = await run("npx", ["tsx", "--conditions=react-server", "scripts/bench-export.ts", "--vms", "300"], { env: environment, timeout: 120_000 });
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const result = JSON.parse(lines[0]!) as Record<string, Record<string, number>>;
  expect(result.vms).toBe(300);
  expect(result.unfiltered!.rows).toBe(300);
  expect(result.filtered!.rows).toBeGreaterThan(0);
  expect(result.filtered!.rows).toBeLessThan(300);
  expect(result.events!.rows).toBe(result.seed!.events);
  for (const name of ["filtered", "unfiltered", "events"]) {
    for (const figure of ["seconds", "bytes", "peakRssMiB"]) expect(result[name]![figure], `${name}.${figure}`).toBeGreaterThan(0);
    expect(result[name]!.rssGrowthMiB, `${name}.rssGrowthMiB`).toBeGreaterThanOrEqual(0);
  }
}, 150_000);
