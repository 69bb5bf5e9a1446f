import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { insertSamples, purgeExpired, rollUp } from "@/lib/metrics/metric-store";

let pool: pg.Pool;
let hostUid: string;
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

async function samples(level: number) {
  const { rows } = await pool.query<{ time: Date; cpu_mhz: number; cpu_pct: number; mem_pct: number }>(
    `SELECT time, cpu_mhz, cpu_pct, mem_pct FROM metric_samples WHERE level = $1 AND object_uid = $2 ORDER BY time`,
    [level, hostUid],
  );
  return rows;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  hostUid = (await insertObject(pool, { apiVersion: "skylight.io/v1", kind: "Host", namespace: "", name: "esx-m.test", spec: {} })).uid;
});
afterAll(() => pool.end());

describe("metric samples", () => {
  it("rolls each complete bucket up as the average of the level below, once, and purges each level past its retention", async () => {
    // Fifteen 20 s samples in 10:00–10:05 (CPU 100, 200, … 1500 MHz) and three in 10:05–10:06.
    for (let index = 0; index < 18; index++) {
      await insertSamples(pool, at(index * 20), [
        { kind: "Host", namespace: "", name: "esx-m.test", values: { cpu_mhz: (index + 1) * 100, cpu_pct: index < 15 ? 10 : 50, mem_pct: 40 } },
      ]);
    }
    // A sample for an object the inventory no longer has is dropped, not stored under no one.
    expect(await insertSamples(pool, at(0), [{ kind: "Host", namespace: "", name: "gone.test", values: { cpu_mhz: 1 } }])).toBe(0);

    await rollUp(pool, at(6 * 60));
    // Only 10:00–10:05 is complete: its average is (100 + … + 1500) / 15 = 800 MHz.
    expect(await samples(1)).toEqual([{ time: at(0), cpu_mhz: 800, cpu_pct: 10, mem_pct: 40 }]);

    // Rolling up again at the same time adds nothing; at 10:10 the second bucket (3 samples) follows.
    await rollUp(pool, at(6 * 60));
    await rollUp(pool, at(10 * 60));
    expect((await samples(1)).map((row) => [row.time, row.cpu_mhz, row.cpu_pct])).toEqual([
      [at(0), 800, 10],
      [at(300), 1700, 50],
    ]);
    // 30-minute buckets are not complete before 10:30; at 10:30 the first holds both 5-minute averages.
    expect(await samples(2)).toEqual([]);
    await rollUp(pool, at(30 * 60));
    expect((await samples(2)).map((row) => [row.time, row.cpu_mhz])).toEqual([[at(0), 1250]]);

    // Past an hour the 20 s samples go; the 5-minute averages stay a day, the 30-minute a week.
    await purgeExpired(pool, at(3600 + 5 * 20));
    expect(await samples(0)).toHaveLength(13);
    await purgeExpired(pool, at(2 * 3600));
    expect(await samples(0)).toHaveLength(0);
    expect(await samples(1)).toHaveLength(2);
    await purgeExpired(pool, at(86_400 + 301));
    expect(await samples(1)).toHaveLength(0);
    expect(await samples(2)).toHaveLength(1);
    await purgeExpired(pool, at(7 * 86_400 + 1));
    expect(await samples(2)).toHaveLength(0);
  });
});
