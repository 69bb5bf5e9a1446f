// The change notices of the last few seconds, kept because a page's data is read before its
// queries can hear of a change: the server renders a page, then the browser hydrates it and opens
// its event stream. A change committed in between reaches no query unless someone remembers it.
// The app's hub keeps them to replay to a stream that has just opened; the browser keeps them to
// refetch a query that mounts (hydrated from a server read) after a change it depends on.
import type { ChangeNotice } from "@/lib/live/live-dependencies";

export interface RecentNotices {
  add(notice: ChangeNotice): void;
  /** The notices that arrived in the last `withinMs`, oldest first. */
  within(withinMs: number): ChangeNotice[];
  /** Whether every notice of the last `withinMs` is still here (false while it has not listened that long). */
  covers(withinMs: number): boolean;
  /** After notices may have been missed: nothing before now is covered. */
  forget(): void;
}

export interface RecentNoticesOptions {
  keepMs: number;
  /** Beyond this many, the oldest go first and the buffer no longer covers their time. */
  maxNotices?: number;
  now?: () => number;
}

export function createRecentNotices({ keepMs, maxNotices = 1_000, now = Date.now }: RecentNoticesOptions): RecentNotices {
  const entries: { at: number; notice: ChangeNotice }[] = [];
  let coveredSince = now();
  const prune = () => {
    const cutoff = now() - keepMs;
    while (entries.length > 0 && (entries[0]!.at < cutoff || entries.length > maxNotices)) {
      coveredSince = Math.max(coveredSince, entries.shift()!.at + 1);
    }
    coveredSince = Math.max(coveredSince, cutoff);
  };
  return {
    add(notice) {
      entries.push({ at: now(), notice });
      prune();
    },
    within(withinMs) {
      prune();
      const since = now() - withinMs;
      return entries.filter((entry) => entry.at >= since).map((entry) => entry.notice);
    },
    covers(withinMs) {
      prune();
      return withinMs <= keepMs && coveredSince <= now() - withinMs;
    },
    forget() {
      entries.length = 0;
      coveredSince = now();
    },
  };
}
