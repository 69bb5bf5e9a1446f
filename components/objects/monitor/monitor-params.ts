// The Monitor tab's URL: which view (`view`: tasks, events, Issues and Alarms, Performance's Overview or Advanced, a
// cluster's DRS recommendations, or the serial console of a VM on a real host) and which page, read the same way on the server (to prefetch)
// and in the browser.
import { pageOrFirst } from "@/lib/http/page-param";

export type MonitorView = "tasks" | "events" | "alarms" | "performance" | "advanced" | "drs" | "serial";

const VIEWS: readonly string[] = ["tasks", "events", "alarms", "performance", "advanced", "drs", "serial"] satisfies MonitorView[];

/** The kinds with performance charts, as in the vSphere Client. */
export const PERFORMANCE_KINDS: readonly string[] = ["Cluster", "Host", "VirtualMachine", "Datastore"];

/** Params that belong to one view and are dropped when switching to another. */
export const VIEW_PARAMS = ["page", "range", "from", "to", "hide", "level", "counters", "severity", "type", "object", "user"];

export function monitorParams(search: { get(name: string): string | null }): { view: MonitorView; page: number } {
  return { view: VIEWS.includes(search.get("view") ?? "") ? (search.get("view") as MonitorView) : "tasks", page: pageOrFirst(search.get("page")) };
}
