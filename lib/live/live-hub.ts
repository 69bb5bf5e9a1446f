// The app process's one source of live updates: a single LISTEN connection, its notices coalesced
// into one per source every ~250 ms, fanned out to every browser's event stream.
import { startChangeListener, type ChangeListener } from "@/lib/live/change-listener";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { createNoticeCoalescer } from "@/lib/live/notice-coalescer";

export type LiveMessage = { type: "change"; notice: ChangeNotice } | { type: "resync" };

export interface LiveHub {
  subscribe(subscriber: (message: LiveMessage) => void): () => void;
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
  const coalescer = createNoticeCoalescer({ windowMs, maxUids, emit: (notice) => send({ type: "change", notice }) });
  const listener = startChangeListener({
    connectionString,
    minBackoffMs,
    onNotice: (notice) => coalescer.add(notice),
    onResync: () => {
      coalescer.flush();
      send({ type: "resync" });
    },
  });
  return {
    subscribe(subscriber) {
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
