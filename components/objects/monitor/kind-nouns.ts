// Each kind as a noun in a sentence ("No tasks have targeted this virtual machine yet.").
import type { PageKind } from "@/lib/inventory/kinds";

export const KIND_NOUNS: Record<PageKind, string> = {
  Datacenter: "datacenter",
  Cluster: "cluster",
  Host: "host",
  Datastore: "datastore",
  Network: "network",
  Namespace: "namespace",
  VirtualMachine: "virtual machine",
  VirtualMachineClass: "VM class",
  VirtualMachineImage: "image",
  Pod: "pod",
  Deployment: "deployment",
  ReplicaSet: "ReplicaSet",
};
