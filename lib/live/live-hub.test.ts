import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLiveHub, MAX_REPLAY_MS, replayWindowFrom, type LiveHub, type LiveMessage } from "@/lib/live/live-hub";

const url = process.env.DATABASE_URL!;
const pool = new pg.Pool({ connectionString: url, max: 8 });

afterAll(() => pool.end());

const insertDatacenter = (db: Pick<pg.Pool, "query">, name: string) =>
  db
    .query<{ uid: string }>(
      `INSERT INTO resources (api_version, kind, name, spec) VALUES ('skylight.io/v1alpha1', 'Datacenter', $1, '{}') RETURNING uid::text`,
      [name],
    )
    .then(({ rows }) => rows[0]!.uid);

function record(hub: LiveHub) {
  const messages: LiveMessage[] = [];
  hub.subscribe((message) => messages.push(message));
  return messages;
}

const resourceNotices = (messages: LiveMessage[]) =>
  messages.flatMap((message) => (message.type === "change" && message.notice.source === "resources" ? [message.notice] : []));

describe("live updates from PostgreSQL's change notices", () => {
  let hub: LiveHub;
  beforeAll(async () => {
    hub = createLiveHub({ connectionString: url, windowMs: 100 });
    await hub.ready;
  });
  afterAll(() => hub.close());

  it("tells subscribers about a committed change and never about a rolled-back one", async () => {
    const messages = record(hub);
    const client = await pool.connect();
    await client.query("BEGIN");
    const rolledBack = await insertDatacenter(client, "dc-rolled-back");
    await client.query("ROLLBACK");
    client.release();
    const committed = await insertDatacenter(pool, "dc-committed");

    await expect.poll(() => resourceNotices(messages).length).toBe(1);
    expect(resourceNotices(messages)[0]).toEqual({ source: "resources", kinds: ["Datacenter"], uids: [committed], count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resourceNotices(messages).flatMap((notice) => notice.uids)).not.toContain(rolledBack);
  });

  it("starts listening again after the connection is cut, and says that anything may have changed", async () => {
    const messages = record(hub);
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN skylight_changes'`,
    );
    await expect.poll(() => messages.some((message) => message.type === "resync"), { timeout: 10_000 }).toBe(true);
    const uid = await insertDatacenter(pool, "dc-after-reconnect");
    await expect.poll(() => resourceNotices(messages).some((notice) => notice.uids?.includes(uid))).toBe(true);
  });
});

describe("a burst of changes", () => {
  it("reaches subscribers as one notice per source, listing the uids while there are few", async () => {
    const hub = createLiveHub({ connectionString: url, windowMs: 2_000, maxUids: 40 });
    await hub.ready;
    const messages = record(hub);
    const uids = await Promise.all(Array.from({ length: 30 }, (_, index) => insertDatacenter(pool, `dc-burst-${index}`)));

    await expect.poll(() => resourceNotices(messages).length, { timeout: 5_000 }).toBe(1);
    const [notice] = resourceNotices(messages);
    expect(notice!.count).toBe(30);
    expect(notice!.kinds).toEqual(["Datacenter"]);
    expect([...notice!.uids!].sort()).toEqual([...uids].sort());
    await hub.close();
  });

  it("names only the kinds once the uids would be too many to list", async () => {
    const hub = createLiveHub({ connectionString: url, windowMs: 2_000, maxUids: 20 });
    await hub.ready;
    const messages = record(hub);
    await Promise.all(Array.from({ length: 30 }, (_, index) => insertDatacenter(pool, `dc-many-${index}`)));

    await expect.poll(() => resourceNotices(messages).length, { timeout: 5_000 }).toBe(1);
    expect(resourceNotices(messages)[0]).toEqual({ source: "resources", kinds: ["Datacenter"], uids: null, count: 30 });
    await hub.close();
  });
});

describe("a stream that opens after its page was read", () => {
  it("hears, when it asks, of the changes committed in the last moments before it subscribed", async () => {
    const hub = createLiveHub({ connectionString: url, windowMs: 100 });
    await hub.ready;
    const early = record(hub);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const uid = await insertDatacenter(pool, "dc-while-the-page-loaded");
    await expect.poll(() => resourceNotices(early).some((notice) => notice.uids?.includes(uid))).toBe(true);

    const late: LiveMessage[] = [];
    hub.subscribe((message) => late.push(message), 1_000);
    expect(resourceNotices(late).some((notice) => notice.uids?.includes(uid))).toBe(true);
    const none: LiveMessage[] = [];
    hub.subscribe((message) => none.push(message));
    expect(none).toEqual([]);
    await hub.close();
  });

  it("is told to resync when it asks for further back than the hub has listened", async () => {
    const hub = createLiveHub({ connectionString: url, windowMs: 100 });
    await hub.ready;
    const messages: LiveMessage[] = [];
    hub.subscribe((message) => messages.push(message), 50_000);
    expect(messages).toEqual([{ type: "resync" }]);
    await hub.close();
  });
});

describe("a stream's replay window", () => {
  it("takes whole milliseconds up to the hub's memory and turns anything else into a resync", () => {
    expect(replayWindowFrom(null)).toBe(0);
    expect(replayWindowFrom("2500")).toBe(2_500);
    for (const hostile of ["-1", "1e9", "12.5", "0x10", "", " 5", "99999999999999999999", "60001"]) {
      expect(replayWindowFrom(hostile), hostile).toBeGreaterThan(MAX_REPLAY_MS);
    }
  });
});
