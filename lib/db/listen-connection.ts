// One dedicated connection that LISTENs on a channel. NOTIFY is only a hint (a notice sent while
// the connection was down is gone for good), so when the connection drops it reconnects with
// growing backoff and then reports a resync: anything may have changed meanwhile.
import pg from "pg";

export interface ListenOptions {
  connectionString: string;
  channel: string;
  onMessage: (payload: string) => void;
  onResync: () => void;
  log: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A connection that dies without a word (a dropped network path) is found by this ping. */
  pingMs?: number;
}

export interface ListenConnection {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenOnChannel({
  connectionString,
  channel,
  onMessage,
  onResync,
  log,
  minBackoffMs = 250,
  maxBackoffMs = 10_000,
  pingMs = 30_000,
}: ListenOptions): ListenConnection {
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
      if (message.channel === channel) onMessage(message.payload ?? "");
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
