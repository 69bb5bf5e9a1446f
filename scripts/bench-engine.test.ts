// `npm run bench:engine` at a tiny size, on a throwaway embedded PostgreSQL as a user runs it: the
// benchmark runs and reports every figure. How fast is the benchmark's own business (README, Benchmarks), not a test's.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const run = promisify(execFile);

test("bench:engine creates its VMs, waits for all of them Ready, and prints one JSON line with what they cost", async () => {
  const { DATABASE_URL: _testDatabase, ...environment } = process.env;
  const { stdout } = await run("npx", ["tsx", "scripts/bench-engine.ts", "--vms", "60"], { env: environment, timeout: 120_000 });
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const result = JSON.parse(lines[0]!) as Record<string, number | null>;
  expect(result).toMatchObject({ vms: 60, deadlocks: 0 });
  for (const figure of ["seconds", "vmsPerSecond", "latencyMsP50", "latencyMsP99", "pgInsertsPerSecond", "pgDurableInsertsPerSecond", "ratio", "transactionsPerVm"]) {
    expect(result[figure], figure).toBeGreaterThan(0);
  }
  expect(result.latencyMsP99).toBeGreaterThanOrEqual(result.latencyMsP50!);
  // pg_stat_statements is loaded by the embedded server: statements are counted.
  expect(result.statementsPerVm).toBeGreaterThan(1);
}, 150_000);
