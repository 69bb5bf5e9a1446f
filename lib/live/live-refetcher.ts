// Which queries a change notice refetches, and when: each query whose `meta.live` dependencies the
// notice touches, at most about once a second. A query already fetching when the notice arrives
// may have read before the change committed, and react-query folds a refetch into the fetch under
// way, so such a query is read once more when that fetch settles: no change is ever left unseen.
import type { Query, QueryClient } from "@tanstack/react-query";
import { noticeTouches, type ChangeNotice } from "@/lib/live/live-dependencies";
import { createKeyedThrottle } from "@/lib/live/throttle";

const REFETCH_INTERVAL_MS = 1_000;

export interface LiveRefetcher {
  apply(notice: ChangeNotice): void;
  /** After a reconnect or a server-side resync, notices may have been missed: every live query. */
  refetchAll(): void;
  stop(): void;
}

export function createLiveRefetcher(queryClient: QueryClient, intervalMs = REFETCH_INTERVAL_MS): LiveRefetcher {
  const throttle = createKeyedThrottle(intervalMs);
  const readAgain = new Set<string>();
  const invalidate = (query: Query) =>
    // A refetch already on its way is left to finish: cancelling it would starve a slow query.
    void queryClient.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
  const refetch = (query: Query) =>
    throttle.run(query.queryHash, () => {
      if (query.state.fetchStatus === "fetching") readAgain.add(query.queryHash);
      else invalidate(query);
    });
  const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.query.state.fetchStatus === "fetching" || !readAgain.delete(event.query.queryHash)) return;
    invalidate(event.query);
  });

  return {
    apply(notice) {
      for (const query of queryClient.getQueryCache().getAll()) {
        if (query.meta?.live?.some((dependency) => noticeTouches(notice, dependency))) refetch(query);
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
