import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createHarness, createMany, readyCount, waitFor, type Harness } from "@/lib/testing/engine-harness";

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.stop();
});

describe("an engine process killed with SIGKILL", () => {
  // Its VMs are in batches (lib/engine/controllers/vm-batch-controller.ts) when it dies.
  it("loses nothing: a fresh process converges every VM, the simulator holds each exactly once, and each host books what runs on it", async () => {
    const harness = await createHarness({ hosts: 16, hostMemoryMiB: 256 * 1024, hostCores: 64 });
    harnesses.push(harness);
    // tsx as a loader of this very process: through tsx's CLI the engine would run in a grandchild
    // that SIGKILL to the child never reaches, so nothing would crash.
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/skylight.ts", "engine"], {
      env: {
        ...process.env,
        SKYLIGHT_DEMO: "0",
        SKYLIGHT_ADMIN_PASSWORD: "kill-test-password",
        SKYLIGHT_SIM_SPEED: "0",
        SKYLIGHT_ENGINE_LEASE_SECONDS: "2",
        SKYLIGHT_ENGINE_CONCURRENCY: "16",
      },
      stdio: "ignore",
    });
    try {
      const creating = createMany(500, "crash", 16);
      await waitFor(async () => (await readyCount(harness)) >= 50, "the child engine at work", 60_000);
      child.kill("SIGKILL");
      await creating;
      const readyAtKill = await readyCount(harness);
      expect(readyAtKill).toBeLessThan(500);

      harness.startEngine();
      await waitFor(async () => (await readyCount(harness)) === 500, "500 VMs Ready after the crash", 120_000);
      const { rows } = await harness.pool.query<{ vms: number; owners: number; mismatched: number }>(
        `SELECT count(*)::int AS vms, count(DISTINCT owner_key)::int AS owners,
                count(*) FILTER (WHERE r.uid IS NULL OR r.status->>'uniqueID' <> s.id)::int AS mismatched
           FROM sim_vms s LEFT JOIN resources r ON r.kind = 'VirtualMachine' AND r.namespace || '/' || r.name = s.owner_key`,
      );
      expect(rows[0]).toEqual({ vms: 500, owners: 500, mismatched: 0 });
      // No booking lost or made twice by batches cut short: each host books exactly what its VMs take.
      const { rows: hosts } = await harness.pool.query<{ host: string; booked: number; placed: number }>(
        `SELECT a.host, a.vcpus AS booked, COALESCE(sum((r.status->'allocation'->>'cpus')::int), 0)::int AS placed
           FROM host_allocations a LEFT JOIN resources r ON r.kind = 'VirtualMachine' AND r.status->>'host' = a.host
          GROUP BY a.host, a.vcpus`,
      );
      expect(hosts.filter((host) => host.booked !== host.placed)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
    // Room for its own waits (a child engine's cold start and the reconvergence) on a busy machine.
  }, 200_000);
});
