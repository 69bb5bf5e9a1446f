// The browser's end of live updates: an EventSource on /api/live, whose change notices refetch the
// queries they touch (lib/live/live-refetcher.ts). After a reconnect or a server-side resync,
// notices may have been missed, so every live query is refetched.
import type { QueryClient } from "@tanstack/react-query";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { createLiveRefetcher } from "@/lib/live/live-refetcher";
// EventSource retries by itself after a dropped connection, but gives up on an error response
// (a proxy's 502 while the app restarts): then we open a new one.
const REOPEN_AFTER_MS = 5_000;

export function syncQueriesWithLiveUpdates(queryClient: QueryClient, url = "/api/live"): () => void {
  const refetcher = createLiveRefetcher(queryClient);
  const refetchAllLive = () => refetcher.refetchAll();

  let source: EventSource | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let connectedBefore = false;
  const open = () => {
    source = new EventSource(url);
    source.addEventListener("open", () => {
      if (connectedBefore) refetchAllLive();
      connectedBefore = true;
    });
    source.addEventListener("change", (event) => refetcher.apply(JSON.parse((event as MessageEvent<string>).data) as ChangeNotice));
    source.addEventListener("resync", refetchAllLive);
    source.addEventListener("error", () => {
      if (source?.readyState === EventSource.CLOSED) reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
    });
  };
  open();

  return () => {
    clearTimeout(reopenTimer);
    source?.close();
    refetcher.stop();
  };
}
