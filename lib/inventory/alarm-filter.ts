// The Triggered Alarms view's filters as URL search params (severity, acknowledged), read the same
// way by the server and the browser.
import { z } from "zod";

export const alarmFilterSchema = z.object({
  severity: z.enum(["critical", "warning"]).optional().catch(undefined),
  acknowledged: z.enum(["yes", "no"]).optional().catch(undefined),
});

export type AlarmFilter = z.infer<typeof alarmFilterSchema>;

export const ALARM_FILTER_KEYS = ["severity", "acknowledged"] as const satisfies readonly (keyof AlarmFilter)[];

/** The filters of a URL's search params; anything malformed is ignored rather than refused. */
export function alarmFilterFrom(search: { get(name: string): string | null }): AlarmFilter {
  return alarmFilterSchema.parse(Object.fromEntries(ALARM_FILTER_KEYS.map((key) => [key, search.get(key) || undefined])));
}

export function alarmFilterSearch(filter: AlarmFilter): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of ALARM_FILTER_KEYS) if (filter[key]) search.set(key, filter[key]);
  return search;
}
