// The log for failures that repeat: while the database is down every loop (engine workers, the
// leader's loops, live updates, Kubernetes watches, route handlers) fails several times a second,
// and a line per failure would bury the one line that says why. Each distinct line is written at
// once, then at most once per interval with how often it repeated; digits do not make a line
// distinct, so "listening again in 734 ms" and "… in 1210 ms" count as one. A line that says the
// database cannot be reached is written as "[engine] database unreachable: <why>" whatever was
// being done, so an outage costs each process a line per reason, not one per loop and object.
import { format } from "node:util";

export const REPEAT_INTERVAL_MS = 10_000;

export type RateLimitedLog = (line: string, detail?: string) => void;

// What node-postgres and PostgreSQL say when the server is down, restarting or gone.
const DATABASE_UNREACHABLE = new RegExp(
  [
    "connect ECONNREFUSED [^\\s);]+",
    "terminating connection due to (?:unexpected postmaster exit|administrator command)",
    "the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections)",
    "Connection terminated(?: unexpectedly| due to connection timeout)",
    "Client has encountered a connection error and is not queryable",
    "timeout exceeded when trying to connect",
  ].join("|"),
);

interface Repeats {
  latest: string;
  count: number;
}

/** `detail` (a stack trace, say) is written with the first occurrence only. */
export function createRateLimitedLog(write: (text: string) => void, intervalMs = REPEAT_INTERVAL_MS): RateLimitedLog {
  const active = new Map<string, Repeats>();
  const seconds = Math.round(intervalMs / 100) / 10;

  const closeWindow = (key: string) => {
    const repeats = active.get(key)!;
    if (repeats.count === 0) {
      active.delete(key);
      return;
    }
    write(`${repeats.latest} (repeated ${repeats.count} ${repeats.count === 1 ? "time" : "times"} in the last ${seconds} s)`);
    repeats.count = 0;
    setTimeout(closeWindow, intervalMs, key).unref();
  };

  return (reported, detail) => {
    const unreachable = `${reported}\n${detail ?? ""}`.match(DATABASE_UNREACHABLE);
    const line = unreachable ? `${reported.match(/^\[[^\]]+\] /)?.[0] ?? ""}database unreachable: ${unreachable[0]}` : reported;
    const key = line.replace(/\d+/g, "#");
    const repeats = active.get(key);
    if (repeats) {
      repeats.latest = line;
      repeats.count += 1;
      return;
    }
    active.set(key, { latest: line, count: 0 });
    setTimeout(closeWindow, intervalMs, key).unref();
    write(detail && !unreachable ? `${line}\n${detail}` : line);
  };
}

// One per process, shared by every module copy the Next.js bundles load.
const processGlobal = globalThis as unknown as {
  skylightRateLimitedLog?: RateLimitedLog;
  /** console.error as it was before rateLimitConsoleErrors(), which the log itself writes with. */
  skylightPlainConsoleError?: typeof console.error;
};

/** Writes `line` to stderr through this process's rate-limited log. */
export function logRepeatable(line: string, detail?: string): void {
  processGlobal.skylightRateLimitedLog ??= createRateLimitedLog((text) => (processGlobal.skylightPlainConsoleError ?? console.error).call(console, text));
  processGlobal.skylightRateLimitedLog(line, detail);
}

/**
 * Sends whatever this process writes with console.error through the rate-limited log too, keyed
 * by its first line: Next.js logs every failed render itself, with the whole error and its
 * causes, and better-auth and React log theirs.
 */
export function rateLimitConsoleErrors(): void {
  if (processGlobal.skylightPlainConsoleError) return;
  processGlobal.skylightPlainConsoleError = console.error;
  console.error = (...args: unknown[]) => {
    const [line = "", ...rest] = format(...args).split("\n");
    logRepeatable(line, rest.length > 0 ? rest.join("\n") : undefined);
  };
}

/**
 * `context: message` through the rate-limited log. With `stack`, the first occurrence carries the
 * error's stack (for failures nobody expected, as opposed to a database that is down).
 */
export function logError(context: string, error: unknown, options: { stack?: boolean } = {}): void {
  const message = error instanceof Error ? error.message : String(error);
  const stack = options.stack && error instanceof Error ? error.stack?.split("\n").slice(1).join("\n") : undefined;
  logRepeatable(`${context}: ${message}`, stack);
}
