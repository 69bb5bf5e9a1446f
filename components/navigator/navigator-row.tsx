"use client";
// One object in the navigator: a treeitem that is also a link to the object's page, with a
// chevron that expands it without navigating, the object's Actions as its context menu, and, as
// in the vSphere Client, a VM that drags onto a host, cluster or datastore to migrate there, or
// onto a VM folder to move into it, and a cluster that drags onto a host folder.
import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, type MouseEvent } from "react";
import { describeNode, NodeIcon, StateIcon } from "@/components/navigator/node-icon";
import { useNavigatorTree } from "@/components/navigator/navigator-tree-context";
import { useObjectContextMenu } from "@/components/objects/actions/object-context-menu";
import { clusterDragSource, useVmDropTarget, vmDragSource, type VmDropTarget } from "@/components/vms/vm-drop-migrate";
import { clientKindOf, isCustomResourceKind } from "@/lib/inventory/kinds";
import type { NavigatorNode, NavigatorView } from "@/lib/inventory/navigator-views";
import { cn } from "@/lib/utils";

export const ROW_CLASS = "flex h-7 items-center gap-1.5 rounded-md pr-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset";

export function indent(level: number) {
  return { paddingLeft: `${(level - 1) * 14 + 2}px` };
}

const MIGRATION_KINDS: readonly string[] = ["Host", "Cluster", "Datastore"];

/** What a row takes when something is dropped on it: a folder's type follows the view it shows in. */
function dropTarget(node: NavigatorNode, view: NavigatorView): VmDropTarget | null {
  if (node.kind === "Folder") return { kind: "Folder", name: node.name, type: view === "hosts-and-clusters" ? "host" : "vm" };
  return MIGRATION_KINDS.includes(node.kind) ? { kind: node.kind as Exclude<VmDropTarget["kind"], "Folder">, name: node.name } : null;
}

export function NavigatorRow(props: { node: NavigatorNode; rowKey: string; level: number; position: number; setSize: number; first: boolean }) {
  const { node, rowKey, level } = props;
  const tree = useNavigatorTree();
  const expanded = tree.isExpanded(rowKey);
  const selected = tree.selectedUid === node.uid;
  const tabbable = tree.focusKey === rowKey || (tree.focusKey === null && props.first);
  const row = useRef<HTMLAnchorElement>(null);
  const contextMenu = useObjectContextMenu()(node.uid);
  const drop = useVmDropTarget(dropTarget(node, tree.view));

  // A deep link reveals its object: once the row appears, bring it into view.
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const { releaseFocusKey } = tree;
  useEffect(() => () => releaseFocusKey(rowKey), [releaseFocusKey, rowKey]);

  const toggle = (event: MouseEvent) => {
    event.preventDefault();
    event.stopPropagation();
    tree.setExpanded(rowKey, !expanded);
  };
  // An operator's objects say which kind they are: several kinds can share a namespace.
  const customKind = isCustomResourceKind(node.kind) ? clientKindOf(node.kind) : null;

  return (
    <Link
      ref={row}
      href={`/objects/${node.uid}`}
      role="treeitem"
      aria-level={level}
      aria-posinset={props.position}
      aria-setsize={props.setSize}
      aria-expanded={node.expandable ? expanded : undefined}
      aria-selected={selected}
      aria-label={describeNode(node)}
      title={describeNode(node)}
      tabIndex={tabbable ? 0 : -1}
      data-key={rowKey}
      data-name={node.name}
      onFocus={() => tree.setFocusKey(rowKey)}
      {...contextMenu}
      {...(node.kind === "VirtualMachine" && vmDragSource(node.uid, node.name))}
      {...(node.kind === "Cluster" && tree.view === "hosts-and-clusters" && clusterDragSource(node.uid, node.name))}
      {...drop.handlers}
      className={cn(ROW_CLASS, "hover:bg-muted", selected && "bg-accent font-medium text-accent-foreground hover:bg-accent", drop.over && "bg-primary/10 ring-2 ring-primary ring-inset")}
      style={indent(level)}
    >
      <span aria-hidden onClick={node.expandable ? toggle : undefined} className="flex size-5 shrink-0 items-center justify-center rounded-sm text-muted-foreground hover:text-foreground">
        {node.expandable && <ChevronRight className={cn("size-3.5 transition-transform motion-reduce:transition-none", expanded && "rotate-90")} />}
      </span>
      <NodeIcon node={node} />
      <span className="min-w-0 truncate">{node.name}</span>
      {customKind && <span className="min-w-0 shrink-[4] truncate text-xs text-muted-foreground">{customKind}</span>}
      <StateIcon state={node.state} />
    </Link>
  );
}
