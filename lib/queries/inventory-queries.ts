// Query keys and browser-side fetchers for inventory reads; the only place a key is spelled.
import { queryOptions } from "@tanstack/react-query";
import type { InventorySummary } from "@/lib/inventory/inventory-reads";
import type { RecentTask } from "@/lib/inventory/task-reads";

export const inventoryKeys = {
  all: ["inventory"] as const,
  summary: () => [...inventoryKeys.all, "summary"] as const,
  recentTasks: () => [...inventoryKeys.all, "tasks", "recent"] as const,
};

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  return (await response.json()) as T;
}

export const inventorySummaryQuery = () =>
  queryOptions({
    queryKey: inventoryKeys.summary(),
    queryFn: () => fetchJson<InventorySummary>("/api/inventory/summary"),
  });

// Polled until the Inventory issue pushes changes over server-sent events.
export const recentTasksQuery = () =>
  queryOptions({
    queryKey: inventoryKeys.recentTasks(),
    queryFn: async () => (await fetchJson<{ tasks: RecentTask[] }>("/api/tasks")).tasks,
    refetchInterval: 2_000,
  });
