// Query key and browser-side fetcher for the New Virtual Machine wizard's choices.
import { queryOptions } from "@tanstack/react-query";
import type { NewVmChoices } from "@/lib/inventory/new-vm-choices";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const newVmKeys = {
  choices: (namespace: string, cluster: string) => ["new-vm-choices", namespace, cluster] as const,
};

/** `cluster`: only that cluster's namespaces are offered ("" for all). */
export const newVmChoicesQuery = (namespace: string, cluster = "") =>
  queryOptions({
    queryKey: newVmKeys.choices(namespace, cluster),
    queryFn: () => fetchJson<NewVmChoices>(`/api/new-vm-choices?${new URLSearchParams({ ...(namespace && { namespace }), ...(cluster && { cluster }) })}`),
    meta: { live: (["Namespace", "Host", "Datastore", "Network", "VirtualMachineClass", "VirtualMachineImage"] as const).map((kind) => live.objects(kind)) },
  });
