// The icon each kind of object wears everywhere in the console (headers, tabs, links, lists).
import { BellRing, Boxes, Building2, Cpu, Database, Disc3, FolderKanban, Monitor, Network, Server, type LucideProps } from "lucide-react";
import type { ComponentType } from "react";

const ICONS: Record<string, ComponentType<LucideProps>> = {
  Datacenter: Building2,
  Cluster: Boxes,
  Host: Server,
  VirtualMachine: Monitor,
  Datastore: Database,
  Network: Network,
  Namespace: FolderKanban,
  VirtualMachineClass: Cpu,
  VirtualMachineImage: Disc3,
  AlarmDefinition: BellRing,
};

export const KIND_LABELS: Record<string, string> = {
  Datacenter: "Datacenter",
  Cluster: "Cluster",
  Host: "Host",
  VirtualMachine: "Virtual Machine",
  Datastore: "Datastore",
  Network: "Network",
  Namespace: "Namespace",
  VirtualMachineClass: "VM Class",
  VirtualMachineImage: "VM Image",
  AlarmDefinition: "Alarm Definition",
};

export function KindIcon({ kind, ...props }: { kind: string } & LucideProps) {
  const Icon = ICONS[kind] ?? Boxes;
  return <Icon aria-hidden {...props} />;
}
