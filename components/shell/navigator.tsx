"use client";
// The left navigator: the console's sections, then the Hosts and Clusters tree
// (datacenter › cluster › host) with each host's state and a health roll-up on clusters.
import { Boxes, Building2, ChevronRight, Home, Server, ServerCrash, Users, Wrench } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import type { HostState, NavigatorTree } from "@/lib/inventory/inventory-reads";
import { cn } from "@/lib/utils";

const HOST_STATE_LABELS: Record<HostState, string> = {
  connected: "Connected",
  disconnected: "Disconnected",
  notResponding: "Not responding",
  maintenance: "In maintenance mode",
};

export function Navigator({ tree, showAdministration }: { tree: NavigatorTree | null; showAdministration: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Navigator" className="flex h-full flex-col overflow-hidden bg-surface">
      <ul className="space-y-0.5 border-b border-border p-2">
        <SectionLink href="/" icon={<Home className="size-4" />} active={pathname === "/"}>
          Home
        </SectionLink>
        {showAdministration && (
          <SectionLink href="/admin/users" icon={<Users className="size-4" />} active={pathname.startsWith("/admin")}>
            Administration
          </SectionLink>
        )}
      </ul>
      {tree && (
        <div className="min-h-0 flex-1 overflow-auto p-2">
          <h2 className="px-2 pt-1 pb-1.5 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
            Hosts and Clusters
          </h2>
          <ul role="tree" aria-label="Hosts and Clusters" className="text-sm">
            {tree.datacenters.map((datacenter) => (
              <TreeNode
                key={datacenter.uid}
                href={`/objects/${datacenter.uid}`}
                label={datacenter.name}
                icon={<Building2 className="size-4 text-muted-foreground" />}
                level={1}
                active={pathname === `/objects/${datacenter.uid}`}
                defaultExpanded
              >
                {datacenter.clusters.map((cluster) => {
                  const troubled = cluster.hosts.filter((host) => host.state !== "connected" && host.state !== "maintenance");
                  return (
                    <TreeNode
                      key={cluster.uid}
                      href={`/objects/${cluster.uid}`}
                      label={cluster.name}
                      description={troubled.length > 0 ? `${troubled.length} host(s) need attention` : undefined}
                      icon={<Boxes className={cn("size-4", troubled.length > 0 ? "text-warning" : "text-muted-foreground")} />}
                      level={2}
                      active={pathname === `/objects/${cluster.uid}`}
                    >
                      {cluster.hosts.map((host) => (
                        <TreeNode
                          key={host.uid}
                          href={`/objects/${host.uid}`}
                          label={host.name}
                          description={HOST_STATE_LABELS[host.state]}
                          icon={<HostIcon state={host.state} />}
                          level={3}
                          active={pathname === `/objects/${host.uid}`}
                        />
                      ))}
                    </TreeNode>
                  );
                })}
              </TreeNode>
            ))}
          </ul>
        </div>
      )}
      {!tree && (
        <p className="p-4 text-xs text-muted-foreground">
          Inventory is shown to administrators and operators. Namespaces you are a member of will appear here.
        </p>
      )}
    </nav>
  );
}

function SectionLink({ href, icon, active, children }: { href: string; icon: ReactNode; active: boolean; children: ReactNode }) {
  return (
    <li>
      <Link
        href={href}
        aria-current={active ? "page" : undefined}
        className={cn(
          "flex h-8 items-center gap-2 rounded-md px-2 text-sm hover:bg-muted",
          active && "bg-accent font-medium text-accent-foreground",
        )}
      >
        <span aria-hidden className="text-muted-foreground">{icon}</span>
        {children}
      </Link>
    </li>
  );
}

function HostIcon({ state }: { state: HostState }) {
  if (state === "maintenance") return <Wrench className="size-4 text-warning" />;
  if (state !== "connected") return <ServerCrash className="size-4 text-destructive" />;
  return <Server className="size-4 text-muted-foreground" />;
}

function TreeNode(props: {
  href: string;
  label: string;
  description?: string;
  icon: ReactNode;
  level: number;
  active: boolean;
  defaultExpanded?: boolean;
  children?: ReactNode;
}) {
  const [expanded, setExpanded] = useState(props.defaultExpanded ?? false);
  const hasChildren = props.children !== undefined;
  return (
    <li role="treeitem" aria-expanded={hasChildren ? expanded : undefined} aria-selected={props.active} aria-level={props.level}>
      <div
        className={cn("group flex h-7 items-center rounded-md pr-1 hover:bg-muted", props.active && "bg-accent text-accent-foreground")}
        style={{ paddingLeft: `${(props.level - 1) * 14}px` }}
      >
        {hasChildren ? (
          <button
            type="button"
            aria-label={`${expanded ? "Collapse" : "Expand"} ${props.label}`}
            onClick={() => setExpanded(!expanded)}
            className="flex size-5 shrink-0 items-center justify-center rounded-sm text-muted-foreground hover:text-foreground"
          >
            <ChevronRight className={cn("size-3.5 transition-transform", expanded && "rotate-90")} aria-hidden />
          </button>
        ) : (
          <span className="size-5 shrink-0" />
        )}
        <Link href={props.href} title={props.description} className="flex min-w-0 flex-1 items-center gap-1.5 rounded-sm px-1 py-0.5">
          <span aria-hidden className="shrink-0">{props.icon}</span>
          <span className="truncate">{props.label}</span>
          {props.description && <span className="sr-only">({props.description})</span>}
        </Link>
      </div>
      {hasChildren && expanded && <ul role="group">{props.children}</ul>}
    </li>
  );
}
