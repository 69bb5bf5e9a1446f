// The tabs of an object's page, as in the vSphere Client: Summary, Monitor, Configure,
// Permissions, then lists of related objects, and the object's YAML; a pod's Logs follow its Summary. Which appear depends on the kind.
import type { Kind, PageKind } from "@/lib/inventory/kinds";
import type { ListName } from "@/lib/inventory/list-definitions";

export type ObjectTab = "summary" | "monitor" | "configure" | "permissions" | "files" | ListName | "logs" | "yaml";

export const TAB_LABELS: Record<ObjectTab, string> = {
  summary: "Summary",
  monitor: "Monitor",
  configure: "Configure",
  permissions: "Permissions",
  files: "Files",
  clusters: "Clusters",
  hosts: "Hosts",
  vms: "VMs",
  datastores: "Datastores",
  networks: "Networks",
  pods: "Pods",
  deployments: "Deployments",
  replicasets: "ReplicaSets",
  logs: "Logs",
  yaml: "YAML",
};

const LIST_TABS: Partial<Record<PageKind, ListName[]>> = {
  Datacenter: ["clusters", "hosts", "vms", "datastores", "networks"],
  Cluster: ["hosts", "vms", "datastores", "networks"],
  Host: ["vms", "pods", "datastores", "networks"],
  VirtualMachine: ["datastores", "networks"],
  Datastore: ["hosts", "vms"],
  Network: ["hosts", "vms"],
  Namespace: ["vms", "pods", "deployments"],
  Folder: ["vms"],
  Deployment: ["replicasets", "pods"],
  ReplicaSet: ["pods"],
};

const CONFIGURABLE: readonly Kind[] = ["Cluster", "Host", "VirtualMachine", "Namespace", "Datastore", "Network"];

/** Tabs only administrators and operators see: developers see no hosts or networks, nor others' files on a datastore. */
const INFRASTRUCTURE_LISTS: readonly ObjectTab[] = ["clusters", "hosts", "networks", "files"];

/** The tabs of a kind's page; `wholeInventory` false for a reader who sees only their namespaces. */
export function tabsFor(kind: PageKind, wholeInventory = true): ObjectTab[] {
  const tabs: ObjectTab[] = [
    "summary",
    ...(kind === "Pod" ? (["logs"] as const) : []),
    "monitor",
    ...(CONFIGURABLE.includes(kind as Kind) ? (["configure"] as const) : []),
    "permissions",
    ...(kind === "Datastore" ? (["files"] as const) : []),
    ...(LIST_TABS[kind] ?? []),
    "yaml",
  ];
  if (wholeInventory) return tabs;
  return tabs.filter((tab) => !INFRASTRUCTURE_LISTS.includes(tab) && (tab !== "permissions" || kind === "Namespace" || kind === "Folder"));
}

export function isListTab(tab: ObjectTab): tab is ListName {
  return tab !== "summary" && tab !== "monitor" && tab !== "configure" && tab !== "permissions" && tab !== "files" && tab !== "logs" && tab !== "yaml";
}

export function tabHref(uid: string, tab: ObjectTab): string {
  return tab === "summary" ? `/objects/${uid}` : `/objects/${uid}/${tab}`;
}
