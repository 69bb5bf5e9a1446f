// The icon each kind of object wears everywhere in the console (headers, tabs, links, lists).
import { BellRing, Box, Boxes, Building2, Copy, Cpu, Database, Disc3, Folder, FolderKanban, Layers, Monitor, Network, Puzzle, Server, type LucideProps } from "lucide-react";
import type { ComponentType } from "react";
import { folderTypeOf } from "@/lib/inventory/folder-rules";
import { clientKindOf, isCustomResourceKind } from "@/lib/inventory/kinds";
import { TEMPLATE_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

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
  Folder: "Folder",
  VirtualMachineClass: "VM Class",
  VirtualMachineImage: "VM Image",
  AlarmDefinition: "Alarm Definition",
  Pod: "Pod",
  Deployment: "Deployment",
  ReplicaSet: "ReplicaSet",
};

/** A kind in words; a custom resource's is its kind's own name. */
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? (isCustomResourceKind(kind) ? clientKindOf(kind) : kind);

/** One object's kind in words, as vSphere names it: a template is a VM Template, a folder a VM or Host Folder. */
export function objectKindLabel(object: { kind: string; labels: Record<string, string>; spec: Record<string, unknown> }): string {
  if (object.labels[TEMPLATE_LABEL] === "true") return "VM Template";
  if (object.kind === "Folder") return folderTypeOf(object.spec) === "host" ? "Host Folder" : "VM Folder";
  return kindLabel(object.kind);
}

export function KindIcon({ kind, ...props }: { kind: string } & LucideProps) {
  const Icon = ICONS[kind] ?? (isCustomResourceKind(kind) ? Puzzle : Boxes);
  return <Icon aria-hidden {...props} />;
}
