// Query keys and fetchers for Tags & Custom Attributes. Every write of them records an event (on
// the tagged object, or on the category, tag or attribute), so events are what they listen to.
import { queryOptions } from "@tanstack/react-query";
import { live } from "@/lib/live/live-dependencies";
import type { ObjectTagging, TagCatalog } from "@/lib/inventory/tag-reads";
import { objectKeys } from "@/lib/queries/object-queries";
import { fetchJson } from "@/lib/queries/inventory-queries";

const CATALOGUE_CHANGES = [live.events("TagCategory"), live.events("Tag"), live.events("CustomAttribute")];

export const tagKeys = {
  catalog: ["tags", "catalog"] as const,
  object: (uid: string) => [...objectKeys.all, uid, "tagging"] as const,
};

export const tagCatalogQuery = () =>
  queryOptions({
    queryKey: tagKeys.catalog,
    queryFn: () => fetchJson<TagCatalog>("/api/tags"),
    staleTime: 30_000,
    meta: { live: CATALOGUE_CHANGES },
  });

export const objectTaggingQuery = (uid: string) =>
  queryOptions({
    queryKey: tagKeys.object(uid),
    queryFn: () => fetchJson<ObjectTagging>(`/api/objects/${uid}/tagging`),
    meta: { live: [live.eventsOf(uid), ...CATALOGUE_CHANGES] },
  });
