// The Kubernetes API watches this process holds open, by user. A user holds at most
// MAX_WATCHES_PER_USER at once (one more is 429 TooManyRequests with Retry-After, as
// kube-apiserver's priority and fairness answers). Each watch re-checks its credential and what
// its user may see on a timer (lib/kube/kube-server.ts decides how) and ends when that no longer
// holds; recheckWatches() runs the checks of the users a notice that access changed names at once.
import { MAX_WATCHES_PER_USER, RETRY_AFTER_SECONDS } from "@/lib/kube/api-limits";
import { KubeApiError } from "@/lib/kube/api-status";

/** How often an open watch re-checks its token and visibility by default; the server takes a shorter one for tests. */
export const WATCH_RECHECK_INTERVAL_MS = 5_000;

type Recheck = () => Promise<void>;

const byUser = new Map<string, Set<Recheck>>();

/** Counts a new watch against its user's limit; returns the function that ends its registration. */
export function registerWatch(userId: string, recheck: Recheck): () => void {
  const open = byUser.get(userId) ?? new Set<Recheck>();
  if (open.size >= MAX_WATCHES_PER_USER) {
    throw new KubeApiError(429, "TooManyRequests", `Too many requests, please try again later: at most ${MAX_WATCHES_PER_USER} watches per user are open at once`, {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
    });
  }
  open.add(recheck);
  byUser.set(userId, open);
  return () => {
    open.delete(recheck);
    if (open.size === 0 && byUser.get(userId) === open) byUser.delete(userId);
  };
}

/** Re-checks the open watches of `userIds` (null: everyone's) now; each one whose token, user or visibility changed ends. */
export async function recheckWatches(userIds: readonly string[] | null = null): Promise<void> {
  const users = userIds === null ? [...byUser.values()] : userIds.flatMap((userId) => byUser.get(userId) ?? []);
  await Promise.all(users.flatMap((open) => [...open].map((recheck) => recheck())));
}
