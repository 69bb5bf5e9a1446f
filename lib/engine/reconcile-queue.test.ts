import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { backoffMs, claim, complete, enqueue, enqueueRollups, ROLLUP_DELAY_MS } from "@/lib/engine/reconcile-queue";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { createHarness, NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

const rowOf = async (key: string) =>
  (await pool.query<{ dirty: boolean; attempts: number; leased_by: string | null; run_at: Date; last_error: string | null }>(`SELECT * FROM reconcile_queue WHERE key = $1`, [key])).rows[0];

describe("reconcile queue", () => {
  it("collapses triggers on a waiting key into one pending pass", async () => {
    await enqueue(pool, "VirtualMachine/q/a");
    await enqueue(pool, "VirtualMachine/q/a");
    await enqueue(pool, ["VirtualMachine/q/a", "VirtualMachine/q/a"]);
    const leases = await claim(pool, "worker-1", 10, 30);
    expect(leases.filter((lease) => lease.key === "VirtualMachine/q/a")).toHaveLength(1);
    await complete(pool, "worker-1", "VirtualMachine/q/a", { kind: "done" });
    expect(await rowOf("VirtualMachine/q/a")).toBeUndefined();
  });

  it("never leases a key to two workers, and a trigger during a run queues exactly one more pass", async () => {
    await enqueue(pool, "VirtualMachine/q/b");
    const first = await claim(pool, "worker-1", 10, 30);
    expect(first.map((lease) => lease.key)).toContain("VirtualMachine/q/b");
    expect((await claim(pool, "worker-2", 10, 30)).map((lease) => lease.key)).not.toContain("VirtualMachine/q/b");

    await enqueue(pool, "VirtualMachine/q/b");
    await enqueue(pool, "VirtualMachine/q/b");
    expect((await rowOf("VirtualMachine/q/b"))?.dirty).toBe(true);
    expect((await claim(pool, "worker-2", 10, 30)).map((lease) => lease.key)).not.toContain("VirtualMachine/q/b");

    await complete(pool, "worker-1", "VirtualMachine/q/b", { kind: "done" });
    const again = await claim(pool, "worker-2", 10, 30);
    expect(again.map((lease) => lease.key)).toEqual(["VirtualMachine/q/b"]);
    await complete(pool, "worker-2", "VirtualMachine/q/b", { kind: "done" });
    expect(await rowOf("VirtualMachine/q/b")).toBeUndefined();
  });

  it("runs a roll-up asked for during its run once more a second later, not back to back, and sooner when something asks for now", async () => {
    await enqueue(pool, "Namespace//q-rollup");
    expect((await claim(pool, "worker-1", 10, 30)).map((lease) => lease.key)).toContain("Namespace//q-rollup");
    await enqueueRollups(pool, ["Namespace//q-rollup"]);
    await complete(pool, "worker-1", "Namespace//q-rollup", { kind: "done" });
    const waiting = (await rowOf("Namespace//q-rollup"))!;
    expect(waiting.leased_by).toBeNull();
    expect(waiting.run_at.getTime() - Date.now()).toBeGreaterThan(ROLLUP_DELAY_MS / 2);
    expect((await claim(pool, "worker-2", 10, 30)).map((lease) => lease.key)).not.toContain("Namespace//q-rollup");

    // During a run, a roll-up's delay gives way to a trigger for now.
    await pool.query(`UPDATE reconcile_queue SET run_at = now() WHERE key = 'Namespace//q-rollup'`);
    expect((await claim(pool, "worker-2", 10, 30)).map((lease) => lease.key)).toContain("Namespace//q-rollup");
    await enqueueRollups(pool, ["Namespace//q-rollup"]);
    await enqueue(pool, "Namespace//q-rollup");
    await complete(pool, "worker-2", "Namespace//q-rollup", { kind: "done" });
    expect((await claim(pool, "worker-3", 10, 30)).map((lease) => lease.key)).toContain("Namespace//q-rollup");
    await complete(pool, "worker-3", "Namespace//q-rollup", { kind: "done" });
    expect(await rowOf("Namespace//q-rollup")).toBeUndefined();
  });

  it("hands an expired lease (a crashed worker) to another worker", async () => {
    await enqueue(pool, "VirtualMachine/q/c");
    await claim(pool, "crashed", 10, 0.2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await claim(pool, "survivor", 10, 30)).map((lease) => lease.key)).toContain("VirtualMachine/q/c");
    await complete(pool, "crashed", "VirtualMachine/q/c", { kind: "done" });
    expect((await rowOf("VirtualMachine/q/c"))?.leased_by).toBe("survivor");
  });

  it("grows the backoff exponentially with jitter, capped at five minutes", () => {
    const ceilings = [0, 1, 2, 3, 4, 5].map((attempts) => backoffMs(attempts, 250, 300_000, () => 1));
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 8000]);
    expect(backoffMs(3, 250, 300_000, () => 0)).toBe(1000);
    expect(backoffMs(40, 250, 300_000, () => 1)).toBe(300_000);
  });
});

describe("retries under injected failures", () => {
  it("retries a failing VM with growing delays and reports the provider's error", async () => {
    const harness = await createHarness({ simulator: { failureRate: 1 } });
    try {
      harness.startEngine();
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "flaky-1", spec: vmSpec() });
      const key = `VirtualMachine/${NAMESPACE}/flaky-1`;
      const seen: { attempts: number; delayMs: number }[] = [];
      await waitFor(async () => {
        const row = await rowOf(key);
        if (row && !row.leased_by && row.attempts > 0 && seen.at(-1)?.attempts !== row.attempts) {
          seen.push({ attempts: row.attempts, delayMs: row.run_at.getTime() - Date.now() });
        }
        return seen.length >= 3 && seen.at(-1)!.attempts >= 3;
      }, "three retries", 20_000);
      expect(seen.map((entry) => entry.attempts)).toEqual([...seen.map((entry) => entry.attempts)].sort((a, b) => a - b));
      expect(seen.at(-1)!.delayMs).toBeGreaterThan(seen[0]!.delayMs);
      expect((await rowOf(key))?.last_error).toMatch(/failed/i);
      const { rows } = await harness.pool.query<{ status: { conditions: { type: string; status: string; message: string }[] } }>(
        `SELECT status FROM resources WHERE name = 'flaky-1'`,
      );
      expect(rows[0]!.status.conditions.find((condition) => condition.type === "Synced")).toMatchObject({ status: "False" });
    } finally {
      await harness.stop();
    }
  });
});
