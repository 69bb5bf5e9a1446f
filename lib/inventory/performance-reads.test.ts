// Monitor › Performance's read: without a level it reads the finest rollup that covers the range;
// Performance › Advanced may name a level (rollup interval) and gets that level's samples; a level
// that is none of vCenter's five is refused naming `level`.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { performanceQuerySchema, readPerformance } from "@/lib/inventory/performance-reads";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

let uid: string;
const now = new Date();
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

beforeAll(async () => {
  await createUser("system", { username: "perf-admin", name: "perf-admin", role: "administrator", password: "perf-password" });
  request.headers = await signInAs("perf-admin", "perf-password");
  uid = (await insertObject(getPool(), { apiVersion: KIND_API_VERSIONS.Host, kind: "Host", namespace: "", name: "esx-perf.lab", spec: {} })).uid;
  const insert = (level: number, time: Date, cpuPct: number) =>
    getPool().query(`INSERT INTO metric_samples (level, object_uid, time, cpu_pct) VALUES ($1, $2, $3, $4)`, [level, uid, time, cpuPct]);
  for (const minutes of [1, 2, 3]) await insert(0, minutesAgo(minutes), 10 + minutes);
  for (const minutes of [5, 10, 15, 20]) await insert(1, minutesAgo(minutes), 50 + minutes);
});

describe("readPerformance with a chosen level", () => {
  it("reads the level that covers the range by itself, and the named level when Advanced names one", async () => {
    const automatic = await readPerformance(uid, performanceQuerySchema.parse({ range: "realtime" }), now);
    expect([automatic.level, automatic.intervalSeconds, automatic.points.map((point) => point.cpuPct)]).toEqual([0, 20, [13, 12, 11]]);
    const fiveMinutes = await readPerformance(uid, performanceQuerySchema.parse({ range: "realtime", level: "1" }), now);
    expect([fiveMinutes.level, fiveMinutes.levelLabel, fiveMinutes.points.map((point) => point.cpuPct)]).toEqual([1, "5 minutes", [70, 65, 60, 55]]);
    // How much history the level holds, whatever the range: since its first sample.
    expect(fiveMinutes.since).toBe(minutesAgo(20).toISOString());
    expect((await readPerformance(uid, performanceQuerySchema.parse({ range: "month", level: "4" }), now)).since).toBeNull();
  });

  it("refuses a level that is not a statistics level, naming it", async () => {
    const route = await import("@/app/api/objects/[uid]/performance/route");
    for (const level of ["5", "-1", "1.5", "daily"]) {
      const refused = await route.GET(new Request(`http://skylight.test/api/objects/${uid}/performance?level=${level}`), { params: Promise.resolve({ uid }) });
      expect([level, refused.status]).toEqual([level, 422]);
      expect((await refused.json()).error.message, level).toMatch(/level/);
    }
    const answered = await route.GET(new Request(`http://skylight.test/api/objects/${uid}/performance?level=4&range=month`), { params: Promise.resolve({ uid }) });
    expect((await answered.json()).level).toBe(4);
  });
});
