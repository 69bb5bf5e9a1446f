import pg from "pg";
import { describe, expect, it } from "vitest";
import { electLeader } from "@/lib/engine/leader";
import { waitFor } from "@/lib/testing/engine-harness";

describe("leader election", () => {
  it("elects exactly one leader, and another takes over within seconds when its connection dies", async () => {
    const url = process.env.DATABASE_URL!;
    const first = electLeader(url, () => {}, 200);
    await waitFor(async () => first.isLeader(), "first leader");
    const second = electLeader(url, () => {}, 200);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(second.isLeader()).toBe(false);

    // Kill the leader's session from the server side, as a crashed process would lose it.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7240100 AND granted`);
    await admin.end();
    const started = Date.now();
    await waitFor(async () => second.isLeader(), "second leader", 5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    await waitFor(async () => !first.isLeader(), "first no longer leader", 5_000);

    await first.stop();
    await second.stop();
  });
});
