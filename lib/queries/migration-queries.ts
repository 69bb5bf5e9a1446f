// Query key and browser-side fetcher for the VM › Migrate dialog's hosts and datastores.
import { queryOptions } from "@tanstack/react-query";
import type { MigrationTargets } from "@/lib/inventory/migration-targets";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const migrationTargetsQuery = (vmUid: string) =>
  queryOptions({
    queryKey: ["objects", vmUid, "migration-targets"] as const,
    queryFn: () => fetchJson<MigrationTargets>(`/api/objects/${vmUid}/migration-targets`),
    // Host bookings change with every VM placed or moved in the cluster; free space with every disk.
    meta: { live: [live.objects("Host"), live.objects("VirtualMachine"), live.objects("Cluster"), live.objects("Datastore")] },
  });
