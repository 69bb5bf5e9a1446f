// One dedicated connection that LISTENs on one channel for the database's notices (change notices
// by default; lib/auth/access-changes.ts listens for access changes). NOTIFY is only a hint
// (a notice sent while the connection was down is gone for good), so when the connection drops it
// reconnects with growing backoff and then reports a resync: anything may have changed meanwhile.
import pg from "pg";
import type { ChangeNotice } from "@/lib/live/live-dependencies";

export const CHANGE_CHANNEL = "skylight_changes";

export interface ChangeListenerOptions<Payload> {
  connectionString: string;
  /** Default: CHANGE_CHANNEL, whose payloads are ChangeNotices. */
  channel?: string;
  onNotice: (notice: Payload) => void;
  onResync: () => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A connection that dies without a word (a dropped network path) is found by this ping. */
  pingMs?: number;
  log?: (message: string) => void;
}

export interface ChangeListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function startChangeListener<Payload = ChangeNotice>({
  connectionString,
  channel = CHANGE_CHANNEL,
  onNotice,
  onResync,
  minBackoffMs = 250,
  maxBackoffMs = 10_000,
  pingMs = 30_000,
  log = (message) => console.error(`[skylight] live updates: ${message}`),
}: ChangeListenerOptions<Payload>): ChangeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let listenedBefore = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const reconnectAfterFailure = (failed: pg.Client, reason: string) => {
    if (closed || client !== failed) return;
    client = undefined;
    failed.end().catch(() => undefined);
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** failures) * (0.5 + Math.random() / 2);
    failures += 1;
    log(`${reason}; listening again in ${Math.round(delay)} ms`);
    retryTimer = setTimeout(connect, delay);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString, keepAlive: true });
    client = next;
    next.on("notification", (message) => {
      if (message.channel !== channel || !message.payload) return;
      try {
        onNotice(JSON.parse(message.payload) as Payload);
      } catch (error) {
        log(`ignored a notice that is not JSON: ${(error as Error).message}`);
      }
    });
    next.on("error", (error) => reconnectAfterFailure(next, `the connection failed (${error.message})`));
    next.on("end", () => reconnectAfterFailure(next, "the connection closed"));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      reconnectAfterFailure(next, `could not listen (${(error as Error).message})`);
      return;
    }
    if (closed) return void next.end().catch(() => undefined);
    if (listenedBefore || failures > 0) onResync();
    listenedBefore = true;
    failures = 0;
    markReady();
  };

  const ping = setInterval(() => {
    const current = client;
    current?.query("SELECT 1").catch((error: Error) => reconnectAfterFailure(current, `the ping failed (${error.message})`));
  }, pingMs);
  ping.unref();
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(ping);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
