// An inventory object's icon in the navigator, with one overlay for what needs attention first:
// its health (rolled up for clusters and datacenters), else its state (power, maintenance); and
// the state that needs a second look as its own icon after the name, never as words that crowd it out.
import { Box, Boxes, Building2, Database, Folder, FolderKanban, LayoutTemplate, Monitor, Network, Pause, Play, PowerOff, Puzzle, Server, TriangleAlert, Unplug, WifiOff, Wrench, XCircle, type LucideIcon } from "lucide-react";
import { clientKindOf, isCustomResourceKind, type PageKind } from "@/lib/inventory/kinds";
import type { NavigatorNode, NodeState } from "@/lib/inventory/navigator-views";
import { cn } from "@/lib/utils";

const KIND_ICONS: Partial<Record<PageKind, LucideIcon>> = {
  Datacenter: Building2,
  Cluster: Boxes,
  Host: Server,
  VirtualMachine: Monitor,
  Namespace: FolderKanban,
  Folder: Folder,
  Datastore: Database,
  Network: Network,
  // In the navigator an image is a template made by Clone to Template (VMs and Templates view).
  VirtualMachineImage: LayoutTemplate,
  Pod: Box,
};

const KIND_LABELS: Record<PageKind, { one: string; many: string }> = {
  Datacenter: { one: "Datacenter", many: "datacenters" },
  Cluster: { one: "Cluster", many: "clusters" },
  Host: { one: "Host", many: "hosts" },
  VirtualMachine: { one: "Virtual machine", many: "virtual machines" },
  Namespace: { one: "Namespace", many: "namespaces" },
  Folder: { one: "Folder", many: "folders" },
  Datastore: { one: "Datastore", many: "datastores" },
  Network: { one: "Network", many: "networks" },
  VirtualMachineClass: { one: "VM class", many: "VM classes" },
  VirtualMachineImage: { one: "VM image", many: "VM images" },
  Pod: { one: "Pod", many: "pods" },
  Deployment: { one: "Deployment", many: "deployments" },
  ReplicaSet: { one: "ReplicaSet", many: "ReplicaSets" },
};

/** A kind in words, one and many; a custom resource's is its kind's own name. */
export function kindLabels(kind: PageKind): { one: string; many: string } {
  if (isCustomResourceKind(kind)) return { one: clientKindOf(kind), many: `${clientKindOf(kind)} objects` };
  return KIND_LABELS[kind]!;
}

export const STATE_LABELS: Record<NodeState, string> = {
  poweredOn: "Powered on",
  poweredOff: "Powered off",
  suspended: "Suspended",
  connected: "Connected",
  notResponding: "Not responding",
  disconnected: "Disconnected",
  maintenance: "In maintenance mode",
};

/** The node in words, for its accessible name and tooltip: "prod-cluster-01, Cluster, Warning: 1 of 5 hosts not responding". */
export function describeNode(node: NavigatorNode): string {
  const parts = [node.name, kindLabels(node.kind).one];
  if (node.namespace) parts.push(`namespace ${node.namespace}`);
  if (node.state) parts.push(STATE_LABELS[node.state]);
  if (node.health === "yellow") parts.push(`Warning: ${node.healthReason}`);
  else if (node.health === "red") parts.push(`Alert: ${node.healthReason}`);
  else if (node.health === "green" && node.kind !== "Host") parts.push("Healthy");
  return parts.join(", ");
}

export function NodeIcon({ node }: { node: NavigatorNode }) {
  const Icon = KIND_ICONS[node.kind] ?? (isCustomResourceKind(node.kind) ? Puzzle : Boxes);
  const dimmed = node.state === "poweredOff" || node.state === "disconnected";
  return (
    <span aria-hidden className="relative inline-flex size-4 shrink-0">
      <Icon className={cn("size-4", dimmed ? "text-muted-foreground/70" : "text-muted-foreground")} />
      <Overlay node={node} />
    </span>
  );
}

function Overlay({ node }: { node: NavigatorNode }) {
  const badge = "absolute -right-1 -bottom-1 size-2.5 rounded-full bg-surface";
  if (node.health === "red") return <XCircle className={cn(badge, "fill-destructive text-surface")} strokeWidth={3} />;
  if (node.health === "yellow") return <TriangleAlert className={cn(badge, "fill-warning text-surface")} strokeWidth={3} />;
  if (node.state === "poweredOn") return <Play className={cn(badge, "fill-success text-success")} strokeWidth={1} />;
  return null;
}

const STATE_ICONS: Partial<Record<NodeState, { icon: LucideIcon; className: string }>> = {
  poweredOff: { icon: PowerOff, className: "text-muted-foreground" },
  suspended: { icon: Pause, className: "text-warning" },
  maintenance: { icon: Wrench, className: "text-warning" },
  notResponding: { icon: WifiOff, className: "text-destructive" },
  disconnected: { icon: Unplug, className: "text-muted-foreground" },
};

/** The state as an icon after the name, with the words as its tooltip; nothing for the usual running or connected state. */
export function StateIcon({ state }: { state: NodeState | null }) {
  const entry = state && STATE_ICONS[state];
  if (!entry) return null;
  const Icon = entry.icon;
  return (
    <span title={STATE_LABELS[state]} data-state-icon={state} className="ml-auto flex size-4 shrink-0 items-center justify-center">
      <Icon aria-hidden className={cn("size-3.5", entry.className)} />
    </span>
  );
}
