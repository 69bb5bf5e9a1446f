// The browser's end of live updates: an EventSource on /api/live, and for each change notice a
// refetch of exactly the queries whose `meta.live` dependencies it touches (each at most about
// once a second). After a reconnect or a server-side resync, notices may have been missed, so
// every live query is refetched.
import type { Query, QueryClient } from "@tanstack/react-query";
import { noticeTouches, type ChangeNotice } from "@/lib/live/live-dependencies";
import { createKeyedThrottle } from "@/lib/live/throttle";

const REFETCH_INTERVAL_MS = 1_000;
// EventSource retries by itself after a dropped connection, but gives up on an error response
// (a proxy's 502 while the app restarts): then we open a new one.
const REOPEN_AFTER_MS = 5_000;

export function syncQueriesWithLiveUpdates(queryClient: QueryClient, url = "/api/live"): () => void {
  const throttle = createKeyedThrottle(REFETCH_INTERVAL_MS);
  // A refetch already on its way is left to finish: cancelling it would starve a slow query.
  const refetch = (query: Query) =>
    throttle.run(query.queryHash, () => void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false }));
  const refetchAllLive = () =>
    void queryClient.invalidateQueries({ predicate: (query) => (query.meta?.live?.length ?? 0) > 0 }, { cancelRefetch: false });

  const apply = (notice: ChangeNotice) => {
    for (const query of queryClient.getQueryCache().getAll()) {
      if (query.meta?.live?.some((dependency) => noticeTouches(notice, dependency))) refetch(query);
    }
  };

  let source: EventSource | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let connectedBefore = false;
  const open = () => {
    source = new EventSource(url);
    source.addEventListener("open", () => {
      if (connectedBefore) refetchAllLive();
      connectedBefore = true;
    });
    source.addEventListener("change", (event) => apply(JSON.parse((event as MessageEvent<string>).data) as ChangeNotice));
    source.addEventListener("resync", refetchAllLive);
    source.addEventListener("error", () => {
      if (source?.readyState === EventSource.CLOSED) reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
    });
  };
  open();

  return () => {
    clearTimeout(reopenTimer);
    source?.close();
    throttle.cancel();
  };
}
