// What the spherelet's long polls share (a host waiting for its machines, or for its pods): the
// `after` and `waitSeconds` parameters, checked the same way, and a bound on how many polls of one
// kind one host may hold open in this process.
import type { IncomingMessage } from "node:http";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { MAX_WAIT_SECONDS } from "@/lib/spherelet/machine-protocol";

/** Long polls one host may hold open per kind in this process: an agent needs one. */
const MAX_WAITS_PER_HOST = 4;
export const POLL_INTERVAL_MS = 250;
const waiting = new Map<string, number>();

export function longPollParameters(query: URLSearchParams): { after: string | null; waitSeconds: number } {
  const after = query.get("after");
  const waitSeconds = Number(query.get("waitSeconds") ?? 0);
  if (after !== null && !/^\d{1,19}$/.test(after)) throw badRequest("after must be a version this endpoint returned");
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) throw badRequest(`waitSeconds must be a whole number from 0 to ${MAX_WAIT_SECONDS}`);
  return { after, waitSeconds };
}

/** Runs one long poll of the host's `what`, refused with 429 beyond MAX_WAITS_PER_HOST; `closed()` says the client went away. */
export async function holdLongPoll<T>(host: string, what: "machines" | "pods", request: IncomingMessage, poll: (closed: () => boolean) => Promise<T>): Promise<T> {
  const key = `${what}/${host}`;
  if ((waiting.get(key) ?? 0) >= MAX_WAITS_PER_HOST) {
    throw new KubeApiError(429, "TooManyRequests", `Too many requests, please try again later: host ${host} already waits for its ${what} ${MAX_WAITS_PER_HOST} times`, { retryAfterSeconds: 1 });
  }
  waiting.set(key, (waiting.get(key) ?? 0) + 1);
  let closed = false;
  request.once("close", () => (closed = true));
  try {
    return await poll(() => closed);
  } finally {
    waiting.set(key, (waiting.get(key) ?? 1) - 1);
  }
}
