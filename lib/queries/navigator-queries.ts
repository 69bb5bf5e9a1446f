// Query keys, fetchers and live dependencies of the navigator: one query per expanded node.
import { queryOptions } from "@tanstack/react-query";
import type { PageKind } from "@/lib/inventory/kinds";
import type { NavigatorChildren, NavigatorNode, NavigatorView } from "@/lib/inventory/navigator-views";
import { live, type LiveDependency } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export const navigatorKeys = {
  all: ["navigator"] as const,
  view: (view: NavigatorView) => [...navigatorKeys.all, view] as const,
  children: (view: NavigatorView, parentUid: string | null) => [...navigatorKeys.view(view), "children", parentUid ?? "roots"] as const,
  child: (view: NavigatorView, parentUid: string, uid: string) => [...navigatorKeys.view(view), "child", parentUid, uid] as const,
  path: (view: NavigatorView, uid: string) => [...navigatorKeys.view(view), "path", uid] as const,
};

/** What a level's rows are computed from: their own kind, and what their state and health roll up. */
function childDependencies(view: NavigatorView, parentKind: PageKind | null): LiveDependency[] {
  const kinds = (...names: PageKind[]) => names.map((kind) => live.objects(kind));
  if (parentKind === null) return view === "namespaces" ? kinds("Cluster", "Host", "Namespace") : kinds("Datacenter", "Cluster", "Host");
  switch (`${view}:${parentKind}`) {
    case "hosts-and-clusters:Datacenter":
    case "hosts-and-clusters:Folder":
      return kinds("Folder", "Cluster", "Host");
    case "hosts-and-clusters:Cluster":
      return kinds("Host", "VirtualMachine", "Pod");
    case "vms-and-templates:Datacenter":
      return kinds("Folder", "Namespace", "VirtualMachine");
    case "vms-and-templates:Folder":
      return kinds("Folder", "VirtualMachine");
    case "namespaces:Cluster":
      return kinds("Namespace", "VirtualMachine");
    case "storage:Datacenter":
      return kinds("Datastore");
    case "networking:Datacenter":
      return kinds("Network");
    default:
      return kinds("VirtualMachine", "Pod");
  }
}

export const navigatorChildrenQuery = (view: NavigatorView, parent: { uid: string; kind: PageKind } | null) =>
  queryOptions({
    queryKey: navigatorKeys.children(view, parent?.uid ?? null),
    queryFn: () => {
      const params = new URLSearchParams({ view });
      if (parent) params.set("parent", parent.uid);
      return fetchJson<NavigatorChildren>(`/api/navigator?${params}`);
    },
    // Triggered alarms colour the health icons of their objects and of the objects above them.
    meta: { live: [...childDependencies(view, parent?.kind ?? null), live.alarms()] },
  });

/** One child of a level that shows only its first children: the object a deep link selects. */
export const navigatorChildQuery = (view: NavigatorView, parent: { uid: string; kind: PageKind }, uid: string) =>
  queryOptions({
    queryKey: navigatorKeys.child(view, parent.uid, uid),
    queryFn: async () => (await fetchJson<{ node: NavigatorNode }>(`/api/navigator?${new URLSearchParams({ view, parent: parent.uid, child: uid })}`)).node,
    meta: { live: [...childDependencies(view, parent.kind), live.alarms()] },
  });

// An object's ancestry changes when it moves (a VM migrating to another host), so it follows the object.
export const navigatorPathQuery = (view: NavigatorView, uid: string) =>
  queryOptions({
    queryKey: navigatorKeys.path(view, uid),
    queryFn: async () => (await fetchJson<{ ancestors: string[] | null }>(`/api/navigator/path?${new URLSearchParams({ view, uid })}`)).ancestors,
    meta: { live: [live.object(uid)] },
  });
