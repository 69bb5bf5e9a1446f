// Query key and browser-side fetcher for the New Virtual Machine wizard's choices.
import { queryOptions } from "@tanstack/react-query";
import type { NewVmChoices } from "@/lib/inventory/new-vm-choices";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const newVmKeys = {
  choices: (namespace: string) => ["new-vm-choices", namespace] as const,
};

export const newVmChoicesQuery = (namespace: string) =>
  queryOptions({
    queryKey: newVmKeys.choices(namespace),
    queryFn: () => fetchJson<NewVmChoices>(`/api/new-vm-choices${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ""}`),
    meta: { live: (["Namespace", "Host", "Datastore", "Network", "VirtualMachineClass", "VirtualMachineImage"] as const).map((kind) => live.objects(kind)) },
  });
