import { describe, expect, it } from "vitest";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { createRecentNotices } from "@/lib/live/recent-notices";

const notice = (uid: string): ChangeNotice => ({ source: "resources", kinds: ["VirtualMachine"], uids: [uid], count: 1 });

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe("recent notices", () => {
  it("gives the notices of a window, oldest first, and lets older ones go", () => {
    const time = clock();
    const recent = createRecentNotices({ keepMs: 10_000, now: time.now });
    recent.add(notice("a"));
    time.advance(4_000);
    recent.add(notice("b"));
    time.advance(4_000);
    expect(recent.within(5_000).map((n) => n.uids![0])).toEqual(["b"]);
    expect(recent.within(10_000).map((n) => n.uids![0])).toEqual(["a", "b"]);
    time.advance(3_000);
    expect(recent.within(10_000).map((n) => n.uids![0])).toEqual(["b"]);
  });

  it("covers a window only once it has listened that long, and not past what it dropped or forgot", () => {
    const time = clock();
    const recent = createRecentNotices({ keepMs: 10_000, maxNotices: 2, now: time.now });
    expect(recent.covers(1_000)).toBe(false);
    time.advance(2_000);
    expect(recent.covers(1_000)).toBe(true);
    expect(recent.covers(20_000)).toBe(false);

    recent.add(notice("a"));
    time.advance(500);
    recent.add(notice("b"));
    time.advance(500);
    recent.add(notice("c"));
    expect(recent.covers(900)).toBe(true);
    expect(recent.covers(1_500)).toBe(false);

    recent.forget();
    expect(recent.within(10_000)).toEqual([]);
    time.advance(100);
    expect(recent.covers(50)).toBe(true);
    expect(recent.covers(200)).toBe(false);
  });
});
