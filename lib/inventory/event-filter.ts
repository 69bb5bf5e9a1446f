// The Events views' filters as URL search params (severity, type, object, user, from, to), read
// the same way by the server and the browser.
import { z } from "zod";
import { timestampParam } from "@/lib/http/search-params";

export const eventFilterSchema = z.object({
  severity: z.enum(["info", "warning", "error"]).optional().catch(undefined),
  type: z.string().trim().max(100).optional().catch(undefined),
  object: z.string().trim().max(200).optional().catch(undefined),
  user: z.string().trim().max(100).optional().catch(undefined),
  from: timestampParam.optional().catch(undefined),
  to: timestampParam.optional().catch(undefined),
});

export type EventFilter = z.infer<typeof eventFilterSchema>;

export const EVENT_FILTER_KEYS = ["severity", "type", "object", "user", "from", "to"] as const satisfies readonly (keyof EventFilter)[];

/** The filters of a URL's search params; anything malformed is ignored rather than refused. */
export function eventFilterFrom(search: { get(name: string): string | null }): EventFilter {
  const raw = Object.fromEntries(EVENT_FILTER_KEYS.map((key) => [key, search.get(key) || undefined]));
  return eventFilterSchema.parse(raw);
}

export function eventFilterSearch(filter: EventFilter): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of EVENT_FILTER_KEYS) if (filter[key]) search.set(key, filter[key]);
  return search;
}
