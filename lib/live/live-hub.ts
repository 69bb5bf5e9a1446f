// The app process's one source of live updates: a single LISTEN connection, its notices coalesced
// into one per source every ~250 ms, fanned out to every browser's event stream. The last minute
// of them is kept, so a stream that has just opened can hear what changed while its page loaded.
import { startChangeListener, type ChangeListener } from "@/lib/live/change-listener";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { createNoticeCoalescer } from "@/lib/live/notice-coalescer";
import { createRecentNotices } from "@/lib/live/recent-notices";

/** How far back a new stream may ask to hear of changes. */
export const MAX_REPLAY_MS = 60_000;

/**
 * A stream's `?replay=` in milliseconds: absent is none; whole digits up to MAX_REPLAY_MS are
 * taken; anything else asks for further back than the hub keeps, which is answered with a resync.
 */
export function replayWindowFrom(value: string | null): number {
  if (value === null) return 0;
  return /^\d{1,6}$/.test(value) && Number(value) <= MAX_REPLAY_MS ? Number(value) : MAX_REPLAY_MS + 1;
}

export type LiveMessage = { type: "change"; notice: ChangeNotice } | { type: "resync" };

export interface LiveHub {
  /**
   * Subscribes, first telling the subscriber of the changes of the last `replayMs` (at most
   * MAX_REPLAY_MS), or to resync when this hub has not listened that long.
   */
  subscribe(subscriber: (message: LiveMessage) => void, replayMs?: number): () => void;
  ready: ChangeListener["ready"];
  close(): Promise<void>;
}

export interface LiveHubOptions {
  connectionString: string;
  windowMs?: number;
  maxUids?: number;
  minBackoffMs?: number;
}

export function createLiveHub({ connectionString, windowMs, maxUids, minBackoffMs }: LiveHubOptions): LiveHub {
  const subscribers = new Set<(message: LiveMessage) => void>();
  const send = (message: LiveMessage) => {
    for (const subscriber of subscribers) subscriber(message);
  };
  const recent = createRecentNotices({ keepMs: MAX_REPLAY_MS });
  const coalescer = createNoticeCoalescer({
    windowMs,
    maxUids,
    emit: (notice) => {
      recent.add(notice);
      send({ type: "change", notice });
    },
  });
  const listener = startChangeListener({
    connectionString,
    minBackoffMs,
    onNotice: (notice) => coalescer.add(notice),
    onResync: () => {
      coalescer.flush();
      recent.forget();
      send({ type: "resync" });
    },
  });
  return {
    subscribe(subscriber, replayMs = 0) {
      if (replayMs > 0) {
        if (recent.covers(replayMs)) for (const notice of recent.within(replayMs)) subscriber({ type: "change", notice });
        else subscriber({ type: "resync" });
      }
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
    ready: listener.ready,
    async close() {
      subscribers.clear();
      coalescer.flush();
      await listener.close();
    },
  };
}

const processGlobal = globalThis as unknown as { skylightLiveHub?: LiveHub };

/** This process's hub, started by the first browser that subscribes. */
export function getLiveHub(): LiveHub {
  if (!processGlobal.skylightLiveHub) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Skylight with `npm run dev` or `npm start`.");
    processGlobal.skylightLiveHub = createLiveHub({ connectionString: url });
  }
  return processGlobal.skylightLiveHub;
}
