// Query keys and browser-side fetchers for inventory reads; the only place a key is spelled.
import { queryOptions } from "@tanstack/react-query";
import type { InventorySummary } from "@/lib/inventory/inventory-reads";
import { live } from "@/lib/live/live-dependencies";

export const inventoryKeys = {
  all: ["inventory"] as const,
  summary: () => [...inventoryKeys.all, "summary"] as const,
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
    meta: { live: (["Datacenter", "Cluster", "Host", "VirtualMachine", "Namespace"] as const).map((kind) => live.objects(kind)) },
  });
