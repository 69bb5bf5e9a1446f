// How search names and draws each kind of object: group headings and icons.
import { Boxes, Building2, Cpu, Database, Disc3, FolderKanban, Monitor, Network, Server, type LucideIcon } from "lucide-react";
import type { Kind } from "@/lib/inventory/kinds";

export const SEARCH_GROUP_LABELS: Record<Kind, string> = {
  VirtualMachine: "Virtual Machines",
  Host: "Hosts",
  Cluster: "Clusters",
  Datacenter: "Datacenters",
  Datastore: "Datastores",
  Network: "Networks",
  Namespace: "Namespaces",
  VirtualMachineClass: "VM Classes",
  VirtualMachineImage: "VM Images",
};

const ICONS: Record<Kind, LucideIcon> = {
  VirtualMachine: Monitor,
  Host: Server,
  Cluster: Boxes,
  Datacenter: Building2,
  Datastore: Database,
  Network: Network,
  Namespace: FolderKanban,
  VirtualMachineClass: Cpu,
  VirtualMachineImage: Disc3,
};

export function KindIcon({ kind, className }: { kind: Kind; className?: string }) {
  const Icon = ICONS[kind];
  return <Icon aria-hidden className={className} />;
}
