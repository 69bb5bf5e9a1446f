// Query keys and browser-side fetchers for inventory reads; the only place a key is spelled.
import { queryOptions } from "@tanstack/react-query";
import type { InventorySummary } from "@/lib/inventory/inventory-reads";
import { live } from "@/lib/live/live-dependencies";

export const inventoryKeys = {
  all: ["inventory"] as const,
  summary: () => [...inventoryKeys.all, "summary"] as const,
};

/** A read the server refused; `status` tells "gone" (404) from a passing failure. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new FetchError(body?.error?.message ?? `The server answered ${response.status}.`, response.status);
  }
  return (await response.json()) as T;
}

export const inventorySummaryQuery = () =>
  queryOptions({
    queryKey: inventoryKeys.summary(),
    queryFn: () => fetchJson<InventorySummary>("/api/inventory/summary"),
    meta: { live: (["Datacenter", "Cluster", "Host", "VirtualMachine", "Namespace"] as const).map((kind) => live.objects(kind)) },
  });
