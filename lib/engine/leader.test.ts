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

    // The leader's process dies: its session is cut from the server side and it never returns.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND objid = 7240100 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    await admin.end();
    await first.stop();
    const started = Date.now();
    await waitFor(async () => second.isLeader(), "second leader", 5_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    await second.stop();
  });
});
