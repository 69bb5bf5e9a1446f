// The watch frontier: the highest resourceVersion below which every write is final (committed or
// rolled back), so a watch can read changes in resourceVersion order without ever missing one
// that commits late. resourceVersions come from one sequence but transactions commit in any
// order; a version read from the sequence becomes final once every transaction that was open
// when it was read has ended. A writer holds its transaction id before it draws a version (the
// resources_next_version trigger, and tasks' and events' own), so the open transactions that
// matter are exactly the backends with a transaction id at that moment. (pg_current_snapshot()
// would not do: its list leaves out transactions newer than the latest completed one.) NOTIFY
// on skylight_changes only says "look sooner"; a timer is the safety net, as in kine.
import type pg from "pg";
import { startChangeListener, type ChangeListener } from "@/lib/live/change-listener";
import { logError, logRepeatable } from "@/lib/log/rate-limited-log";

interface PendingMark {
  version: bigint;
  openTransactions: string[];
}

export interface WatchFrontier {
  /** The current frontier, refreshed now. */
  current(): Promise<bigint>;
  /** Calls `listener` whenever the frontier moves; returns the unsubscribe function. */
  subscribe(listener: (frontier: bigint) => void): () => void;
  close(): Promise<void>;
}

export function createWatchFrontier(pool: pg.Pool, options: { connectionString: string; pollMs?: number }): WatchFrontier {
  let frontier = 0n;
  let pending: PendingMark[] = [];
  const listeners = new Set<(frontier: bigint) => void>();
  let refreshing: Promise<bigint> | null = null;
  let again = false;
  let closed = false;

  async function refreshOnce(): Promise<bigint> {
    // Two statements, in this order: the sequence first, then the open transactions, so every
    // version up to `last` was drawn by a transaction that has ended or is listed as open.
    const sequence = await pool.query<{ last: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END::text AS last FROM resource_version_seq`);
    // Only this database's transactions draw from its sequence: one left open in another database
    // on the same server must not hold every watch back.
    const running = await pool.query<{ xid: string }>(
      `SELECT backend_xid::text AS xid FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname = current_database()`,
    );
    const last = BigInt(sequence.rows[0]!.last);
    const open = new Set(running.rows.map((row) => row.xid));
    pending.push({ version: last, openTransactions: [...open] });
    let next = frontier;
    pending = pending.filter((mark) => {
      const settled = mark.openTransactions.every((xid) => !open.has(xid));
      if (settled && mark.version > next) next = mark.version;
      return !settled;
    });
    if (next > frontier) {
      frontier = next;
      for (const listener of listeners) listener(frontier);
    }
    return frontier;
  }

  function refresh(): Promise<bigint> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      try {
        let value = await refreshOnce();
        while (again && !closed) {
          again = false;
          value = await refreshOnce();
        }
        return value;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  const tick = () => {
    if (!closed && listeners.size > 0) void refresh().catch((error: Error) => logError("[kube] watch frontier", error));
  };
  // While a mark waits for open transactions, look again soon; otherwise the timer is a safety net.
  const timer = setInterval(() => {
    if (pending.length > 0 || listeners.size > 0) tick();
  }, options.pollMs ?? 100);
  timer.unref();

  let listener: ChangeListener | null = null;
  function ensureListener() {
    listener ??= startChangeListener({
      connectionString: options.connectionString,
      onNotice: (notice) => {
        if (notice.source === "resources" || notice.source === "tasks" || notice.source === "events") tick();
      },
      onResync: tick,
      log: (message) => logRepeatable(`[kube] watch notices: ${message}`),
    });
  }

  return {
    async current() {
      // Two refreshes: the first mark may wait on transactions that the second finds ended.
      await refresh();
      return refresh();
    },
    subscribe(callback) {
      ensureListener();
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await listener?.close();
    },
  };
}
