import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateLimitedLog, rateLimitConsoleErrors } from "@/lib/log/rate-limited-log";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function capture() {
  const lines: string[] = [];
  return { lines, log: createRateLimitedLog((text) => lines.push(text), 10_000) };
}

describe("the rate-limited log", () => {
  it("writes a line at once, then its repeats as one count per interval, then at once again after a quiet interval", () => {
    const { lines, log } = capture();
    for (let second = 0; second < 25; second++) {
      for (let time = 0; time < 8; time++) log("[kube] watch frontier: relation \"resource_version_seq\" does not exist");
      vi.advanceTimersByTime(1_000);
    }
    expect(lines).toEqual([
      '[kube] watch frontier: relation "resource_version_seq" does not exist',
      '[kube] watch frontier: relation "resource_version_seq" does not exist (repeated 79 times in the last 10 s)',
      '[kube] watch frontier: relation "resource_version_seq" does not exist (repeated 80 times in the last 10 s)',
    ]);
    vi.advanceTimersByTime(20_000);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/repeated 40 times/);
    log("[kube] watch frontier: relation \"resource_version_seq\" does not exist");
    expect(lines).toHaveLength(5);
  });

  it("counts lines that differ only in numbers as one, and keeps distinct lines apart", () => {
    const { lines, log } = capture();
    log("[skylight] live updates: the connection closed; listening again in 734 ms");
    log("[skylight] live updates: the connection closed; listening again in 1210 ms");
    log("[engine] leader loop DRS failed: deadlock detected");
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      "[skylight] live updates: the connection closed; listening again in 734 ms",
      "[engine] leader loop DRS failed: deadlock detected",
      "[skylight] live updates: the connection closed; listening again in 1210 ms (repeated 1 time in the last 10 s)",
    ]);
  });

  it("reports a database that cannot be reached once per reason, whatever each caller was doing", () => {
    const { lines, log } = capture();
    log("[engine] claim failed: connect ECONNREFUSED 127.0.0.1:5488");
    log("[engine] could not release VirtualMachine/web-team/web-01: connect ECONNREFUSED 127.0.0.1:5488");
    log("[engine] leader loop heartbeats failed: terminating connection due to unexpected postmaster exit");
    log("[engine] reconcile notices: could not listen (connect ECONNREFUSED 127.0.0.1:5488); listening again in 251 ms");
    log("[engine] reconcile notices: could not listen (the database system is starting up); listening again in 251 ms", "a stack trace");
    log("[kube] request failed: connect ECONNREFUSED 127.0.0.1:5488", "a stack trace");
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      "[engine] database unreachable: connect ECONNREFUSED 127.0.0.1:5488",
      "[engine] database unreachable: terminating connection due to unexpected postmaster exit",
      "[engine] database unreachable: the database system is starting up",
      "[kube] database unreachable: connect ECONNREFUSED 127.0.0.1:5488",
      "[engine] database unreachable: connect ECONNREFUSED 127.0.0.1:5488 (repeated 2 times in the last 10 s)",
    ]);
  });

  it("finds the database's absence in the detail too, as in Next.js's report of a failed render", () => {
    const { lines, log } = capture();
    const render = (code: string) =>
      log("⨯ [Error [APIError]: Failed to get session] {", `  digest: '${code}',\n  [cause]: Error [DriverAdapterError]: the database system is not yet accepting connections`);
    render("3914836991");
    render("1180311513");
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      "database unreachable: the database system is not yet accepting connections",
      "database unreachable: the database system is not yet accepting connections (repeated 1 time in the last 10 s)",
    ]);
  });

  it("writes the detail (a stack) with the first occurrence only", () => {
    const { lines, log } = capture();
    log("[skylight] request failed: Cannot read properties of undefined (reading 'uid')", "    at objectPage (object-view.ts:12:3)");
    log("[skylight] request failed: Cannot read properties of undefined (reading 'uid')", "    at objectPage (object-view.ts:12:3)");
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      "[skylight] request failed: Cannot read properties of undefined (reading 'uid')\n    at objectPage (object-view.ts:12:3)",
      "[skylight] request failed: Cannot read properties of undefined (reading 'uid') (repeated 1 time in the last 10 s)",
    ]);
  });
});

describe("rateLimitConsoleErrors", () => {
  const plain = console.error;
  afterEach(() => {
    console.error = plain;
    const processGlobal = globalThis as Record<string, unknown>;
    delete processGlobal.skylightPlainConsoleError;
    delete processGlobal.skylightRateLimitedLog;
  });

  it("passes what the process writes with console.error through the rate-limited log, keyed by its first line", () => {
    const written: string[] = [];
    console.error = (text: string) => written.push(text);
    rateLimitConsoleErrors();
    const failure = Object.assign(new Error("Failed to get session"), { digest: "42" });
    for (let time = 0; time < 5; time++) console.error(" ⨯", failure);
    console.error("[skylight] starting the embedded PostgreSQL again failed: PostgreSQL did not start: lock file already exists");
    vi.advanceTimersByTime(10_000);
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^ ⨯ Error: Failed to get session\n {4}at /);
    expect(written[1]).toBe("[skylight] starting the embedded PostgreSQL again failed: PostgreSQL did not start: lock file already exists");
    expect(written[2]).toBe(" ⨯ Error: Failed to get session (repeated 4 times in the last 10 s)");
  });
});
