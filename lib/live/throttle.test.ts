import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createKeyedThrottle } from "@/lib/live/throttle";

describe("refetch throttle", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs the first call at once, a stream of calls at most once a second, and once after the last", () => {
    const throttle = createKeyedThrottle(1_000);
    const runs: number[] = [];
    for (let ms = 0; ms < 2_500; ms += 50) {
      throttle.run("recent-tasks", () => runs.push(Date.now()));
      vi.advanceTimersByTime(50);
    }
    vi.advanceTimersByTime(1_000);
    const start = runs[0]!;
    expect(runs.map((time) => time - start)).toEqual([0, 1_000, 2_000, 3_000]);
  });

  it("throttles each key on its own", () => {
    const throttle = createKeyedThrottle(1_000);
    const runs: string[] = [];
    throttle.run("a", () => runs.push("a"));
    throttle.run("b", () => runs.push("b"));
    throttle.run("a", () => runs.push("a"));
    expect(runs).toEqual(["a", "b"]);
    vi.advanceTimersByTime(1_000);
    expect(runs).toEqual(["a", "b", "a"]);
  });
});
