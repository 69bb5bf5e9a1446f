// What Migrate starts with when a VM is dropped on a host, a cluster or a datastore: the kind of
// move, the target chosen when it can take the VM, or else why not in the dialog's own words.
import type { MigrationTargets } from "@/lib/inventory/migration-targets";

export interface MigrationDropTarget {
  kind: "Host" | "Cluster" | "Datastore";
  name: string;
}

export interface MigrationPreset {
  type: "compute" | "storage";
  host: string | null;
  datastore: string | null;
  /** Why the dropped target is not chosen; null when it is. */
  notice: string | null;
}

export function migrationPreset(drop: MigrationDropTarget, targets: MigrationTargets): MigrationPreset {
  if (drop.kind === "Datastore") {
    const datastore = targets.datastores.find((candidate) => candidate.name === drop.name);
    if (!datastore) return { type: "storage", host: null, datastore: null, notice: `${drop.name} is not mounted by the hosts of ${targets.cluster}, so the VM's disks cannot move there.` };
    if (datastore.incompatible) return { type: "storage", host: null, datastore: null, notice: `${drop.name} cannot take the VM's disks: ${datastore.incompatible}.` };
    return { type: "storage", host: null, datastore: drop.name, notice: null };
  }
  if (drop.kind === "Cluster") {
    if (drop.name !== targets.cluster) return { type: "compute", host: null, datastore: null, notice: `The VM can move only between the hosts of its own cluster, ${targets.cluster}, not to ${drop.name}.` };
    const first = targets.hosts.find((candidate) => candidate.incompatible === null);
    if (!first) return { type: "compute", host: null, datastore: null, notice: `No other host in ${targets.cluster} can take the VM now; each host below says why.` };
    return { type: "compute", host: first.name, datastore: null, notice: null };
  }
  const host = targets.hosts.find((candidate) => candidate.name === drop.name);
  if (!host) return { type: "compute", host: null, datastore: null, notice: `${drop.name} is not in ${targets.cluster}: the VM can move only between the hosts of its own cluster.` };
  if (host.incompatible) return { type: "compute", host: null, datastore: null, notice: `${drop.name} cannot take the VM: ${host.incompatible}.` };
  return { type: "compute", host: drop.name, datastore: null, notice: null };
}
