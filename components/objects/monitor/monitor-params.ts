// The Monitor tab's URL: which list (`view`) and which page, read the same way on the server
// (to prefetch) and in the browser.
export type MonitorView = "tasks" | "events";

export function monitorParams(search: { get(name: string): string | null }): { view: MonitorView; page: number } {
  const page = Number(search.get("page"));
  return { view: search.get("view") === "events" ? "events" : "tasks", page: Number.isInteger(page) && page >= 1 ? page : 1 };
}
