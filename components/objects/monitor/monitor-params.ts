// The Monitor tab's URL: which view (`view`: tasks, events, or a cluster's DRS recommendations)
// and which page, read the same way on the server (to prefetch) and in the browser.
export type MonitorView = "tasks" | "events" | "drs";

const VIEWS: readonly string[] = ["tasks", "events", "drs"] satisfies MonitorView[];

export function monitorParams(search: { get(name: string): string | null }): { view: MonitorView; page: number } {
  const page = Number(search.get("page"));
  return { view: VIEWS.includes(search.get("view") ?? "") ? (search.get("view") as MonitorView) : "tasks", page: Number.isInteger(page) && page >= 1 ? page : 1 };
}
