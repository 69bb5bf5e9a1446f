"use client";
// One level of the navigator, loaded when its parent is expanded: the parent's children, each
// followed by its own level when expanded, or a loading, empty or error row in their place.
import { useQuery } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { kindLabels } from "@/components/navigator/node-icon";
import { indent, NavigatorRow, ROW_CLASS } from "@/components/navigator/navigator-row";
import { useNavigatorTree } from "@/components/navigator/navigator-tree-context";
import { Skeleton } from "@/components/ui/skeleton";
import type { PageKind } from "@/lib/inventory/kinds";
import type { NavigatorNode } from "@/lib/inventory/navigator-views";
import { navigatorChildQuery, navigatorChildrenQuery } from "@/lib/queries/navigator-queries";
import { cn } from "@/lib/utils";

export function NavigatorLevel({ parent, parentKey, level }: { parent: Pick<NavigatorNode, "uid" | "kind" | "name"> | null; parentKey: string; level: number }) {
  const tree = useNavigatorTree();
  const { data, error, isPending, refetch, isRefetching } = useQuery(navigatorChildrenQuery(tree.view, parent));
  // A deep link to an object past the first children of its parent still shows it, selected.
  const selected = parent && tree.selectedUid && tree.selectedParentKey === parentKey ? tree.selectedUid : null;
  const selectedUnlisted = selected !== null && data !== undefined && data.total > data.nodes.length && !data.nodes.some((node) => node.uid === selected);
  const { data: pinned } = useQuery({ ...navigatorChildQuery(tree.view, parent ?? { uid: "", kind: "Datacenter" }, selected ?? ""), enabled: selectedUnlisted });

  if (isPending) {
    if (!parent) return <RootSkeleton />;
    return (
      <div role="treeitem" aria-level={level} aria-selected={false} aria-busy tabIndex={-1} className={cn(ROW_CLASS, "text-muted-foreground")} style={indent(level)}>
        <span className="size-5 shrink-0" />
        <Loader2 aria-hidden className="size-3.5 animate-spin motion-reduce:animate-none" />
        <span>Loading…</span>
      </div>
    );
  }
  if (error) {
    return (
      <div
        role="treeitem"
        aria-level={level}
        aria-selected={false}
        aria-label={`Could not load the contents of ${parent?.name ?? "the inventory"}: ${error.message} Press Enter to retry.`}
        tabIndex={-1}
        data-key={`${parentKey}#error`}
        onClick={() => void refetch()}
        className={cn(ROW_CLASS, "cursor-pointer text-destructive hover:bg-muted")}
        style={indent(level)}
      >
        <span className="size-5 shrink-0" />
        <span className="truncate">Couldn’t load: {error.message}</span>
        <span className="shrink-0 font-medium underline underline-offset-2">{isRefetching ? "Retrying…" : "Retry"}</span>
      </div>
    );
  }
  if (data.nodes.length === 0) {
    return (
      <div role="treeitem" aria-level={level} aria-selected={false} tabIndex={-1} className={cn(ROW_CLASS, "text-muted-foreground italic")} style={indent(level)}>
        <span className="size-5 shrink-0" />
        No {kindLabels(data.childKind as PageKind).many}
      </div>
    );
  }
  const shown = selectedUnlisted && pinned ? pinned : null;
  const setSize = data.nodes.length + (shown ? 1 : 0);
  const keyOf = (node: NavigatorNode) => (parentKey ? `${parentKey}/${node.uid}` : node.uid);
  return (
    <>
      {data.nodes.map((node, index) => (
        <NodeWithChildren key={node.uid} node={node} rowKey={keyOf(node)} level={level} position={index + 1} setSize={setSize} first={!parent && !tree.withRoot && index === 0} />
      ))}
      {data.total > data.nodes.length && (
        <MoreRow level={level} shown={data.nodes.length} total={data.total} kind={data.childKind} href={data.showAllHref} parentKey={parentKey} />
      )}
      {/* After "Show all", so the gap before it in the order is plain. */}
      {shown && <NodeWithChildren node={shown} rowKey={keyOf(shown)} level={level} position={setSize} setSize={setSize} first={false} />}
    </>
  );
}

function NodeWithChildren(props: { node: NavigatorNode; rowKey: string; level: number; position: number; setSize: number; first: boolean }) {
  const tree = useNavigatorTree();
  return (
    <>
      <NavigatorRow {...props} />
      {props.node.expandable && tree.isExpanded(props.rowKey) && <NavigatorLevel parent={props.node} parentKey={props.rowKey} level={props.level + 1} />}
    </>
  );
}

function MoreRow({ level, shown, total, kind, href, parentKey }: { level: number; shown: number; total: number; kind: PageKind; href: string | null; parentKey: string }) {
  const text = `Show all ${total.toLocaleString("en-US")} ${kindLabels(kind).many}…`;
  if (!href) {
    return (
      <div role="treeitem" aria-level={level} aria-selected={false} tabIndex={-1} className={cn(ROW_CLASS, "text-muted-foreground")} style={indent(level)}>
        <span className="size-5 shrink-0" />
        {shown} of {total.toLocaleString("en-US")} shown
      </div>
    );
  }
  return (
    <Link href={href} role="treeitem" aria-level={level} aria-selected={false} tabIndex={-1} data-key={`${parentKey}#more`} className={cn(ROW_CLASS, "font-medium text-primary hover:bg-muted")} style={indent(level)}>
      <span className="size-5 shrink-0" />
      {text}
    </Link>
  );
}

function RootSkeleton() {
  return (
    <div aria-hidden className="space-y-1.5 py-1">
      {[70, 55, 62].map((width) => (
        <div key={width} className="flex h-6 items-center gap-2 px-2">
          <Skeleton className="size-4" />
          <Skeleton className="h-3.5" style={{ width: `${width}%` }} />
        </div>
      ))}
    </div>
  );
}
