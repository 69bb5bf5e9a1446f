// The query parameters of list and watch requests, validated before any is used, with the answers
// kube-apiserver gives: 400 BadRequest naming the parameter for one it cannot read, and for a
// resourceVersion the server has not reached yet, a short wait and then 504 "Too large resource
// version" (the cause ResourceVersionTooLarge tells client-go's reflector to retry).
import { FUTURE_RESOURCE_VERSION_WAIT_MS, MAX_LIST_PAGE, MAX_WATCH_TIMEOUT_SECONDS, RETRY_AFTER_SECONDS } from "@/lib/kube/api-limits";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { addFieldSelector, addLabelSelector } from "@/lib/kube/selectors";
import type { WatchFrontier } from "@/lib/kube/watch-frontier";

/** resourceVersions are PostgreSQL bigints. */
const RESOURCE_VERSION = /^(0|[1-9]\d{0,18})$/;
const MAX_RESOURCE_VERSION = 2n ** 63n - 1n;

export interface ListParams {
  /** Objects per page, at most MAX_LIST_PAGE; absent for all. */
  limit?: number;
  continueToken: string | null;
  labelSelector: string | null;
  fieldSelector: string | null;
  /** A version the list or watch must be at least as new as; null for "now" ("" and "0"). */
  resourceVersion: bigint | null;
  /** A watch's lifetime, at most MAX_WATCH_TIMEOUT_SECONDS; absent for the longest. */
  timeoutSeconds?: number;
  allowBookmarks: boolean;
}

const refuse = (name: string, value: string, rule: string) => badRequest(`invalid value for ${name}: ${JSON.stringify(value)}: ${rule}`);

/** A whole number within [0, max], or undefined when absent; anything else names the parameter. */
function wholeNumber(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,19}$/.test(raw)) throw refuse(name, raw, "must be a whole number, 0 or more");
  return Number(raw);
}

export function parseResourceVersion(raw: string | null, name = "resourceVersion"): bigint | null {
  if (raw === null || raw === "" || raw === "0") return null;
  if (!RESOURCE_VERSION.test(raw) || BigInt(raw) > MAX_RESOURCE_VERSION) throw refuse(name, raw, "must be a resourceVersion this server issued");
  return BigInt(raw);
}

/** limit, continue, resourceVersion, timeoutSeconds and the selectors; `fields` are the resource's selectable fields (null: its reader checks them). */
export function readListParams(query: URLSearchParams, fields: Record<string, string> | null): ListParams {
  const limit = wholeNumber(query, "limit");
  const timeoutSeconds = wholeNumber(query, "timeoutSeconds");
  const labelSelector = query.get("labelSelector");
  const fieldSelector = query.get("fieldSelector");
  // Parsed once here, so a watch refuses a selector it cannot read before its stream begins.
  addLabelSelector({ clauses: [], values: [] }, labelSelector);
  if (fields) addFieldSelector({ clauses: [], values: [] }, fieldSelector, fields);
  return {
    limit: limit ? Math.min(limit, MAX_LIST_PAGE) : undefined,
    continueToken: query.get("continue") || null,
    labelSelector,
    fieldSelector,
    resourceVersion: parseResourceVersion(query.get("resourceVersion")),
    timeoutSeconds: timeoutSeconds ? Math.min(timeoutSeconds, MAX_WATCH_TIMEOUT_SECONDS) : undefined,
    allowBookmarks: query.get("allowWatchBookmarks") === "true",
  };
}

export function tooLargeResourceVersion(wanted: bigint, current: bigint): KubeApiError {
  return new KubeApiError(504, "Timeout", `Too large resource version: ${wanted}, current: ${current}`, {
    causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}

/** Waits (briefly) until the watch frontier reaches `version`; a version it does not reach in time is 504 "Too large resource version". */
export async function awaitResourceVersion(frontier: WatchFrontier, version: bigint): Promise<void> {
  let current = await frontier.current();
  if (current >= version) return;
  current = await new Promise<bigint>((resolve) => {
    let latest = current;
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(latest);
    }, FUTURE_RESOURCE_VERSION_WAIT_MS);
    const unsubscribe = frontier.subscribe((moved) => {
      latest = moved;
      if (moved < version) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(moved);
    });
  });
  if (current < version) throw tooLargeResourceVersion(version, current);
}
