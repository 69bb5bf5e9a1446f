// The Events views' filters as URL search params (severity, type, object, user, from, to), read
// the same way by the server and the browser.
import { z } from "zod";
import { timestampParam } from "@/lib/http/search-params";

/** Each filter's rule: the Events views forgive a broken one, an export refuses it. */
export const eventFilterRules = {
  severity: z.enum(["info", "warning", "error"]),
  type: z.string().trim().max(100),
  object: z.string().trim().max(200),
  user: z.string().trim().max(100),
  from: timestampParam,
  to: timestampParam,
};

export const eventFilterSchema = z.object({
  severity: eventFilterRules.severity.optional().catch(undefined),
  type: eventFilterRules.type.optional().catch(undefined),
  object: eventFilterRules.object.optional().catch(undefined),
  user: eventFilterRules.user.optional().catch(undefined),
  from: eventFilterRules.from.optional().catch(undefined),
  to: eventFilterRules.to.optional().catch(undefined),
});

/** An Events export's params: the view's filters, each strictly. */
export const eventExportSchema = z.object(eventFilterRules).partial();

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
