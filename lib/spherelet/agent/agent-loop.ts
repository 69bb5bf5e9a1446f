// A task the agent repeats until it stops: run, wait the interval, run again; a failure is logged
// (once until the task next succeeds or fails differently) and retried after a backoff that
// doubles from 1 s up to the interval, so a server that is down is neither hammered nor fatal.
export interface LoopOptions {
  name: string;
  /** The pause after a successful run (0: run again at once, as a long poll does). */
  intervalMs: number;
  run: (signal: AbortSignal) => Promise<void>;
  log: (message: string) => void;
  signal: AbortSignal;
  /** The longest pause after failures; the interval if that is longer. */
  maxBackoffMs?: number;
}

/** Waits `ms`, or less if `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

export async function runLoop({ name, intervalMs, run, log, signal, maxBackoffMs = 30_000 }: LoopOptions): Promise<void> {
  let backoffMs = 0;
  let lastFailure: string | null = null;
  while (!signal.aborted) {
    try {
      await run(signal);
      if (lastFailure) log(`${name}: working again`);
      lastFailure = null;
      backoffMs = 0;
      await pause(intervalMs, signal);
    } catch (error) {
      if (signal.aborted) return;
      const message = (error as Error).message;
      backoffMs = Math.min(Math.max(backoffMs * 2, 1_000), Math.max(intervalMs, maxBackoffMs));
      if (message !== lastFailure) log(`${name} failed (retrying with backoff): ${message}`);
      lastFailure = message;
      await pause(backoffMs, signal);
    }
  }
}
