// The navigator's views and the shape of one node, shared by the read model and the browser.
import type { Kind, PageKind } from "@/lib/inventory/kinds";

export const NAVIGATOR_VIEWS = ["hosts-and-clusters", "vms-and-templates", "storage", "networking", "namespaces"] as const;
export type NavigatorView = (typeof NAVIGATOR_VIEWS)[number];

export const NAVIGATOR_VIEW_LABELS: Record<NavigatorView, string> = {
  "hosts-and-clusters": "Hosts and Clusters",
  "vms-and-templates": "VMs and Templates",
  storage: "Storage",
  networking: "Networking",
  namespaces: "Namespaces",
};

export const NAVIGATOR_VIEW_PREFERENCE = "navigator.view";

export function isNavigatorView(value: unknown): value is NavigatorView {
  return typeof value === "string" && (NAVIGATOR_VIEWS as readonly string[]).includes(value);
}

export type NodeState = "poweredOn" | "poweredOff" | "suspended" | "connected" | "notResponding" | "disconnected" | "maintenance";
export type Health = "green" | "yellow" | "red";

export interface NavigatorNode {
  uid: string;
  kind: PageKind;
  name: string;
  /** A VM's or pod's namespace: their names are unique only within one. */
  namespace: string | null;
  state: NodeState | null;
  health: Health | null;
  /** Why the health is not green, in words. */
  healthReason: string | null;
  expandable: boolean;
}

export interface NavigatorChildren {
  childKind: Kind;
  nodes: NavigatorNode[];
  /** All children, of which `nodes` holds the first CHILD_LIMIT. */
  total: number;
  /** A list page with all of them, when `total` exceeds what the tree shows. */
  showAllHref: string | null;
}

export const CHILD_LIMIT = 200;
