// bench:ha at a tiny size, as CI runs benchmarks: only that it works and its line makes sense (4
// hosts of 5 VMs, one failed, no idle phase, statements profiled), on this file's own database.
// Not a timed test.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // tsx as a loader of this very process, as the engine tests start scripts.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench-ha.ts", ...args], { env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bench:ha", () => {
  it("prints one JSON line with the failover, maintenance and idle figures at a tiny size", async () => {
    const run = await runBench(["--hosts", "4", "--vms-per-host", "5", "--hosts-failed", "1", "--grace-seconds", "0.5", "--skip-idle", "--profile"]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result).toMatchObject({ bench: "ha", hosts: 4, vms: 20, idle: { skipped: "--skip-idle" } });

    const { failover, maintenance } = result;
    expect(failover).toMatchObject({ hostsFailed: 1, graceMs: 500, restartFailedEvents: 0 });
    // Once the engine is idle again every host books what its VMs take (allocation-recompute-race.test.ts).
    expect(failover.hostsWithBookingDrift).toBe(0);
    // The seed places VMs as placement would, so a host holds about 5; every one restarted elsewhere.
    expect(failover.vms).toBeGreaterThan(0);
    const { p50, p99, total } = failover.runningElsewhereMs;
    for (const figure of [p50, p99, total, failover.statusReportedTotalMs]) {
      expect(Number.isFinite(figure)).toBe(true);
      // Nothing runs elsewhere before the failure is noticed; a minute would be a hang, not a figure.
      expect(figure).toBeGreaterThanOrEqual(0);
      expect(figure).toBeLessThan(60_000);
    }
    expect(p50).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(total);
    expect(failover.statusReportedTotalMs).toBeGreaterThanOrEqual(total);
    // --profile: the engine's statements during the failover, per restarted VM.
    expect(failover.profile.statementsPerVm).toBeGreaterThan(1);
    expect(failover.profile.transactionsPerVm).toBeGreaterThan(0);
    expect(failover.profile.top.length).toBeGreaterThan(0);

    expect(maintenance.vms).toBeGreaterThan(0);
    expect(maintenance.host).toMatch(/^esx-/);
    expect(maintenance.lastMigratedSeconds).toBeGreaterThan(0);
    expect(maintenance.inMaintenanceSeconds).toBeGreaterThanOrEqual(maintenance.lastMigratedSeconds);
    expect(maintenance.inMaintenanceSeconds).toBeLessThan(60);
  });
});
