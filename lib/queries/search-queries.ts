// Query keys and fetchers for global search; results follow every inventory change while shown.
import { queryOptions } from "@tanstack/react-query";
import type { SearchGroup } from "@/lib/inventory/search-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const PALETTE_RESULTS_PER_KIND = 10;

export const searchKeys = {
  all: ["search"] as const,
  results: (term: string, perKind: number) => [...searchKeys.all, term, perKind] as const,
};

export const searchQuery = (term: string, perKind = PALETTE_RESULTS_PER_KIND) =>
  queryOptions({
    queryKey: searchKeys.results(term, perKind),
    queryFn: async () => (await fetchJson<{ groups: SearchGroup[] }>(`/api/search?${new URLSearchParams({ q: term, limit: String(perKind) })}`)).groups,
    meta: { live: [live.objects()] },
  });
