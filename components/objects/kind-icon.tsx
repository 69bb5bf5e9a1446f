// The icon each kind of object wears everywhere in the console (headers, tabs, links, lists).
import { BellRing, Box, Boxes, Building2, Copy, Cpu, Database, Disc3, Folder, FolderKanban, Layers, Monitor, Network, Puzzle, Server, type LucideProps } from "lucide-react";
import type { ComponentType } from "react";
import { clientKindOf, isCustomResourceKind } from "@/lib/inventory/kinds";

const ICONS: Record<string, ComponentType<LucideProps>> = {
  Datacenter: Building2,
  Cluster: Boxes,
  Host: Server,
  VirtualMachine: Monitor,
  Datastore: Database,
  Network: Network,
  Namespace: FolderKanban,
  Folder: Folder,
  VirtualMachineClass: Cpu,
  VirtualMachineImage: Disc3,
  AlarmDefinition: BellRing,
  Pod: Box,
  Deployment: Layers,
  ReplicaSet: Copy,
};

export const KIND_LABELS: Record<string, string> = {
  Datacenter: "Datacenter",
  Cluster: "Cluster",
  Host: "Host",
  VirtualMachine: "Virtual Machine",
  Datastore: "Datastore",
  Network: "Network",
  Namespace: "Namespace",
  Folder: "VM Folder",
  VirtualMachineClass: "VM Class",
  VirtualMachineImage: "VM Image",
  AlarmDefinition: "Alarm Definition",
  Pod: "Pod",
  Deployment: "Deployment",
  ReplicaSet: "ReplicaSet",
};

/** A kind in words; a custom resource's is its kind's own name. */
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? (isCustomResourceKind(kind) ? clientKindOf(kind) : kind);

export function KindIcon({ kind, ...props }: { kind: string } & LucideProps) {
  const Icon = ICONS[kind] ?? (isCustomResourceKind(kind) ? Puzzle : Boxes);
  return <Icon aria-hidden {...props} />;
}
