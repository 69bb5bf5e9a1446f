// Which queries a change notice refetches, and when: each query whose `meta.live` dependencies the
// notice touches, at most about once a second. A query already fetching when the notice arrives
// may have read before the change committed, and react-query folds a refetch into the fetch under
// way, so such a query is read once more when that fetch settles: no change is ever left unseen.
// A query that mounts with data read on the server (hydrated as the page or tab arrived) may have
// been read before a notice of the last few seconds, which found no query to refetch then: it is
// refetched as it mounts.
import type { Query, QueryClient } from "@tanstack/react-query";
import { noticeTouches, type ChangeNotice } from "@/lib/live/live-dependencies";
import { createRecentNotices } from "@/lib/live/recent-notices";
import { createKeyedThrottle } from "@/lib/live/throttle";

const REFETCH_INTERVAL_MS = 1_000;
// Longer than a slow navigation takes from the server's read to the query mounting.
const MOUNT_LOOKBACK_MS = 30_000;

export interface LiveRefetcher {
  apply(notice: ChangeNotice): void;
  /** After a reconnect or a server-side resync, notices may have been missed: every live query. */
  refetchAll(): void;
  stop(): void;
}

export function createLiveRefetcher(queryClient: QueryClient, intervalMs = REFETCH_INTERVAL_MS): LiveRefetcher {
  const throttle = createKeyedThrottle(intervalMs);
  const readAgain = new Set<string>();
  const recent = createRecentNotices({ keepMs: MOUNT_LOOKBACK_MS });
  const touches = (query: Query, notice: ChangeNotice) => query.meta?.live?.some((dependency) => noticeTouches(notice, dependency)) ?? false;
  const invalidate = (query: Query) =>
    // A refetch already on its way is left to finish: cancelling it would starve a slow query.
    void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
  const refetch = (query: Query) =>
    throttle.run(query.queryHash, () => {
      if (query.state.fetchStatus === "fetching") readAgain.add(query.queryHash);
      else invalidate(query);
    });
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    if (event.type === "observerAdded") {
      const query = event.query;
      // A query with no data, or already marked changed, reads as it mounts anyway.
      const mountsOnOldData = query.getObserversCount() === 1 && query.state.data !== undefined && !query.state.isInvalidated;
      if (mountsOnOldData && recent.within(MOUNT_LOOKBACK_MS).some((notice) => touches(query, notice))) refetch(query);
      return;
    }
    if (event.type !== "updated" || event.query.state.fetchStatus === "fetching" || !readAgain.delete(event.query.queryHash)) return;
    invalidate(event.query);
  });

  return {
    apply(notice) {
      recent.add(notice);
      for (const query of queryClient.getQueryCache().getAll()) {
        if (touches(query, notice)) refetch(query);
      }
    },
    refetchAll() {
      void queryClient.invalidateQueries({ predicate: (query) => (query.meta?.live?.length ?? 0) > 0 }, { cancelRefetch: false });
    },
    stop() {
      unsubscribe();
      throttle.cancel();
      readAgain.clear();
    },
  };
}
