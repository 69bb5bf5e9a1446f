// Query keys and browser-side fetchers for a developer's namespaces on Home. A namespace's usage
// is its controller's roll-up, so a change to any of its VMs reaches this query as a Namespace
// notice.
import { queryOptions } from "@tanstack/react-query";
import type { MyNamespace } from "@/lib/inventory/namespace-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const myNamespacesQuery = () =>
  queryOptions({
    queryKey: ["namespaces", "mine"] as const,
    queryFn: () => fetchJson<MyNamespace[]>("/api/namespaces/mine"),
    meta: { live: [live.objects("Namespace")] },
  });
