import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { readVmStates, recordVmStates } from "@/lib/metrics/vm-state-samples";

const at = (iso: string) => new Date(iso);

describe("VM counts by state over time", () => {
  it("counts each round, averages rounds into the interval asked for, and keeps a day", async () => {
    const pool = getPool();
    for (const [name, powerState] of [["a", "PoweredOn"], ["b", "PoweredOn"], ["c", "PoweredOff"], ["d", "Suspended"]] as const) {
      await insertObject(pool, { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "apps", name, spec: {}, status: { powerState } });
    }
    await recordVmStates(pool, at("2026-12-06T10:00:00Z"));
    await recordVmStates(pool, at("2026-12-07T10:00:00Z"));
    await pool.query(`UPDATE resources SET status = '{"powerState": "PoweredOff"}' WHERE kind = 'VirtualMachine' AND name = 'a'`);
    await recordVmStates(pool, at("2026-12-07T10:00:20Z"));

    expect(await readVmStates(pool, at("2026-12-07T09:00:00Z"), 20)).toEqual([
      { time: "2026-12-07T10:00:00Z", poweredOn: 2, poweredOff: 1, suspended: 1 },
      { time: "2026-12-07T10:00:20Z", poweredOn: 1, poweredOff: 2, suspended: 1 },
    ]);
    // Two rounds in one 5-minute bucket, averaged (1.5 rounds to 2).
    expect(await readVmStates(pool, at("2026-12-07T09:00:00Z"), 300)).toEqual([{ time: "2026-12-07T10:00:00Z", poweredOn: 2, poweredOff: 2, suspended: 1 }]);
    // The round of a day before is gone.
    expect(await readVmStates(pool, at("2026-12-01T00:00:00Z"), 20)).toHaveLength(2);
  });
});
