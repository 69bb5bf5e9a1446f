"use client";
// The navigator's root node: the console itself, named after the address it is served from (see
// lib/http/console-name), above the datacenters and expanded by default. It opens Home.
import { ChevronRight, Layers } from "lucide-react";
import Link from "next/link";
import type { MouseEvent } from "react";
import { indent, ROW_CLASS } from "@/components/navigator/navigator-row";
import { useNavigatorTree } from "@/components/navigator/navigator-tree-context";
import { cn } from "@/lib/utils";

/** Not a uid, so no object row's key can collide with it. */
export const ROOT_KEY = "@root";

export function NavigatorRootRow({ name }: { name: string }) {
  const tree = useNavigatorTree();
  const expanded = tree.isExpanded(ROOT_KEY);
  const toggle = (event: MouseEvent) => {
    event.preventDefault();
    event.stopPropagation();
    tree.setExpanded(ROOT_KEY, !expanded);
  };
  const label = `${name}, Skylight server`;
  return (
    <Link
      href="/"
      role="treeitem"
      aria-level={1}
      aria-posinset={1}
      aria-setsize={1}
      aria-expanded={expanded}
      aria-selected={false}
      aria-label={label}
      title={`${label}: its inventory below, its summary on Home`}
      tabIndex={tree.focusKey === null || tree.focusKey === ROOT_KEY ? 0 : -1}
      data-key={ROOT_KEY}
      data-name={name}
      onFocus={() => tree.setFocusKey(ROOT_KEY)}
      className={cn(ROW_CLASS, "font-medium hover:bg-muted")}
      style={indent(1)}
    >
      <span aria-hidden onClick={toggle} className="flex size-5 shrink-0 items-center justify-center rounded-sm text-muted-foreground hover:text-foreground">
        <ChevronRight className={cn("size-3.5 transition-transform motion-reduce:transition-none", expanded && "rotate-90")} />
      </span>
      <Layers aria-hidden className="size-4 shrink-0 text-muted-foreground" />
      <span className="min-w-0 truncate">{name}</span>
    </Link>
  );
}
