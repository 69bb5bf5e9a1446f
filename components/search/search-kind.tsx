// How search names and draws each kind of object: group headings and icons.
import { Box, Boxes, Building2, Copy, Cpu, Database, Disc3, FolderKanban, Layers, Monitor, Network, Puzzle, Server, type LucideIcon } from "lucide-react";
import { clientKindOf, isCustomResourceKind } from "@/lib/inventory/kinds";
import type { SearchKind } from "@/lib/inventory/search-reads";

const GROUP_LABELS: Partial<Record<SearchKind, string>> = {
  VirtualMachine: "Virtual Machines",
  Pod: "Pods",
  Deployment: "Deployments",
  ReplicaSet: "ReplicaSets",
  Host: "Hosts",
  Cluster: "Clusters",
  Datacenter: "Datacenters",
  Datastore: "Datastores",
  Network: "Networks",
  Namespace: "Namespaces",
  VirtualMachineClass: "VM Classes",
  VirtualMachineImage: "VM Images",
};

/** A group's heading; a custom resource's is its kind's name, as kubectl's NAME column heads it. */
export const searchGroupLabel = (kind: SearchKind) => GROUP_LABELS[kind] ?? (isCustomResourceKind(kind) ? clientKindOf(kind) : kind);

const ICONS: Partial<Record<SearchKind, LucideIcon>> = {
  VirtualMachine: Monitor,
  Pod: Box,
  Deployment: Layers,
  ReplicaSet: Copy,
  Host: Server,
  Cluster: Boxes,
  Datacenter: Building2,
  Datastore: Database,
  Network: Network,
  Namespace: FolderKanban,
  VirtualMachineClass: Cpu,
  VirtualMachineImage: Disc3,
};

export function KindIcon({ kind, className }: { kind: SearchKind; className?: string }) {
  const Icon = ICONS[kind] ?? Puzzle;
  return <Icon aria-hidden className={className} />;
}
