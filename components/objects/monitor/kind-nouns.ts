// Each kind as a noun in a sentence ("No tasks have targeted this virtual machine yet.").
import { clientKindOf, isCustomResourceKind, type PageKind } from "@/lib/inventory/kinds";

const KIND_NOUNS: Record<PageKind, string> = {
  Datacenter: "datacenter",
  Cluster: "cluster",
  Host: "host",
  Datastore: "datastore",
  Network: "network",
  Namespace: "namespace",
  Folder: "folder",
  VirtualMachine: "virtual machine",
  VirtualMachineClass: "VM class",
  VirtualMachineImage: "image",
  Pod: "pod",
  Deployment: "deployment",
  ReplicaSet: "ReplicaSet",
};

/** A custom resource is named by its kind ("this PostgresInstance"). */
export const kindNoun = (kind: PageKind) => (isCustomResourceKind(kind) ? clientKindOf(kind) : KIND_NOUNS[kind]!);
