import { afterAll, describe, expect, it } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { createHarness, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.stop();
});

async function readyCount(harness: Harness): Promise<number> {
  const { rows } = await harness.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM resources
      WHERE kind = 'VirtualMachine' AND status->'conditions' @> '[{"type":"Ready","status":"True"}]' AND status->>'powerState' = 'PoweredOn'`,
  );
  return rows[0]!.count;
}

async function createMany(count: number, prefix: string, inFlight = 8) {
  const names = Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(3, "0")}`);
  for (let start = 0; start < names.length; start += inFlight) {
    await Promise.all(
      names.slice(start, start + inFlight).map((name) => createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className: "best-effort-xsmall" }) })),
    );
  }
}

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
