// The tabs of an object's page, as in the vSphere Client: Summary, Monitor, Configure,
// Permissions, then lists of related objects, and the object's YAML. Which appear depends on the kind.
import type { Kind } from "@/lib/inventory/kinds";
import type { ListName } from "@/lib/inventory/list-definitions";

export type ObjectTab = "summary" | "monitor" | "configure" | "permissions" | ListName | "yaml";

export const TAB_LABELS: Record<ObjectTab, string> = {
  summary: "Summary",
  monitor: "Monitor",
  configure: "Configure",
  permissions: "Permissions",
  clusters: "Clusters",
  hosts: "Hosts",
  vms: "VMs",
  datastores: "Datastores",
  networks: "Networks",
  yaml: "YAML",
};

const LIST_TABS: Partial<Record<Kind, ListName[]>> = {
  Datacenter: ["clusters", "hosts", "vms", "datastores", "networks"],
  Cluster: ["hosts", "vms", "datastores", "networks"],
  Host: ["vms", "datastores", "networks"],
  VirtualMachine: ["datastores", "networks"],
  Datastore: ["hosts", "vms"],
  Network: ["hosts", "vms"],
  Namespace: ["vms"],
};

const CONFIGURABLE: readonly Kind[] = ["Cluster", "Host", "VirtualMachine", "Namespace", "Datastore", "Network"];

/** Lists of objects only administrators and operators see: developers see no hosts or networks. */
const INFRASTRUCTURE_LISTS: readonly ObjectTab[] = ["clusters", "hosts", "networks"];

/** The tabs of a kind's page; `wholeInventory` false for a reader who sees only their namespaces. */
export function tabsFor(kind: Kind, wholeInventory = true): ObjectTab[] {
  const tabs: ObjectTab[] = [
    "summary",
    "monitor",
    ...(CONFIGURABLE.includes(kind) ? (["configure"] as const) : []),
    "permissions",
    ...(LIST_TABS[kind] ?? []),
    "yaml",
  ];
  if (wholeInventory) return tabs;
  return tabs.filter((tab) => !INFRASTRUCTURE_LISTS.includes(tab) && (tab !== "permissions" || kind === "Namespace"));
}

export function isListTab(tab: ObjectTab): tab is ListName {
  return tab !== "summary" && tab !== "monitor" && tab !== "configure" && tab !== "permissions" && tab !== "yaml";
}

export function tabHref(uid: string, tab: ObjectTab): string {
  return tab === "summary" ? `/objects/${uid}` : `/objects/${uid}/${tab}`;
}
