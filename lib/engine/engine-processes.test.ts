import { afterAll, describe, expect, it } from "vitest";
import { createHarness, createMany, readyCount, waitFor, type Harness } from "@/lib/testing/engine-harness";

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.stop();
});

describe("several engine processes on one database", () => {
  it("share the work: no key is reconciled by two workers at once and none is skipped", async () => {
    const harness = await createHarness({ hosts: 8, hostMemoryMiB: 256 * 1024, hostCores: 64 });
    harnesses.push(harness);
    const running = new Map<string, string>();
    const overlaps: string[] = [];
    const perWorker = new Map<string, number>();
    const onReconcile = (event: "start" | "end", key: string, workerId: string) => {
      if (event === "start") {
        if (running.has(key)) overlaps.push(`${key} in ${running.get(key)} and ${workerId}`);
        running.set(key, workerId);
        perWorker.set(workerId, (perWorker.get(workerId) ?? 0) + 1);
      } else if (running.get(key) === workerId) {
        running.delete(key);
      }
    };
    harness.startEngine({ onReconcile });
    harness.startEngine({ onReconcile });
    await createMany(200, "shared");
    await waitFor(async () => (await readyCount(harness)) === 200, "200 VMs Ready", 60_000);
    expect(overlaps).toEqual([]);
    expect([...perWorker.values()].every((count) => count > 10)).toBe(true);
    const { rows } = await harness.pool.query<{ state: string; count: number }>(
      `SELECT state, count(*)::int AS count FROM tasks WHERE operation = 'VirtualMachine.create' GROUP BY state`,
    );
    expect(rows).toEqual([{ state: "success", count: 200 }]);
  });
});
