// The browser's end of live updates: an EventSource on /api/live, whose change notices refetch the
// queries they touch (lib/live/live-refetcher.ts). After a reconnect or a server-side resync,
// notices may have been missed, so every live query is refetched. When the session ends (the
// server says "signed-out", or answers the stream with 401), `onSignedOut` is called once. The
// page's data was read on the server before this stream opened, so the first stream asks the
// server to replay the changes made since the browser began loading the page.
import type { QueryClient } from "@tanstack/react-query";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { createLiveRefetcher } from "@/lib/live/live-refetcher";
// EventSource retries by itself after a dropped connection, but gives up on an error response
// (a proxy's 502 while the app restarts, or 401 once the session is gone): then we ask whether
// the session still holds, and open a new one if it does.
const REOPEN_AFTER_MS = 5_000;
// Notices reach the app up to a coalescing window after their commit.
const REPLAY_MARGIN_MS = 2_000;

export interface LiveUpdatesOptions {
  url?: string;
  sessionUrl?: string;
  onSignedOut: () => void;
}

export function syncQueriesWithLiveUpdates(queryClient: QueryClient, { url = "/api/live", sessionUrl = "/api/session", onSignedOut }: LiveUpdatesOptions): () => void {
  const refetcher = createLiveRefetcher(queryClient);
  const refetchAllLive = () => refetcher.refetchAll();

  let source: EventSource | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let connectedBefore = false;
  let ended = false;
  const signedOut = () => {
    if (ended) return;
    ended = true;
    source?.close();
    onSignedOut();
  };
  const reopenIfStillSignedIn = async () => {
    const status = await fetch(sessionUrl, { cache: "no-store" }).then(
      (response) => response.status,
      () => 0,
    );
    if (ended) return;
    if (status === 401) signedOut();
    else reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
  };
  const open = () => {
    // performance.now() counts from the navigation that loaded this page, before its server read.
    source = new EventSource(connectedBefore ? url : `${url}${url.includes("?") ? "&" : "?"}replay=${Math.ceil(performance.now()) + REPLAY_MARGIN_MS}`);
    source.addEventListener("open", () => {
      if (connectedBefore) refetchAllLive();
      connectedBefore = true;
    });
    source.addEventListener("change", (event) => refetcher.apply(JSON.parse((event as MessageEvent<string>).data) as ChangeNotice));
    source.addEventListener("resync", refetchAllLive);
    source.addEventListener("signed-out", signedOut);
    source.addEventListener("error", () => {
      if (source?.readyState === EventSource.CLOSED) void reopenIfStillSignedIn();
    });
  };
  open();

  return () => {
    ended = true;
    clearTimeout(reopenTimer);
    source?.close();
    refetcher.stop();
  };
}
