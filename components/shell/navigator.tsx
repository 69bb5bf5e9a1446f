"use client";
// The left navigator: Home, Events, Content Library and Administration, then the inventory in the view the user last
// chose (Hosts and Clusters, VMs and Templates, Storage, Networking, Namespaces). A developer sees
// the Namespaces view: their namespaces, under the clusters they are on, and their VMs; and, when a
// folder permission reaches them, VMs and Templates with the datacenter › folder path down to those VMs.
import { History, Home, LibraryBig, ListChecks, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { NavigatorTree } from "@/components/navigator/navigator-tree";
import { NavigatorViewTabs, viewTabId } from "@/components/navigator/navigator-view-tabs";
import { setNavigatorView } from "@/lib/actions/preferences/set-navigator-view";
import type { NavigatorView } from "@/lib/inventory/navigator-views";
import { cn } from "@/lib/utils";

const PANEL_ID = "navigator-view";

export function Navigator({
  initialView,
  wholeInventory,
  seesFolders,
  showAdministration,
  consoleName,
}: {
  initialView: NavigatorView;
  wholeInventory: boolean;
  /** A developer whom a folder permission reaches. */
  seesFolders: boolean;
  showAdministration: boolean;
  consoleName: string;
}) {
  const pathname = usePathname();
  const [view, setView] = useState(initialView);
  const selectedUid = /^\/objects\/([0-9a-f-]{36})(\/|$)/i.exec(pathname)?.[1] ?? null;

  const changeView = (next: NavigatorView) => {
    if (next === view) return;
    setView(next);
    void setNavigatorView({ view: next });
  };

  return (
    <nav aria-label="Navigator" className="flex h-full flex-col overflow-hidden bg-surface">
      <ul className="space-y-0.5 border-b border-border p-2">
        <SectionLink href="/" icon={<Home className="size-4" />} active={pathname === "/"}>
          Home
        </SectionLink>
        {wholeInventory && (
          <SectionLink href="/events" icon={<History className="size-4" />} active={pathname === "/events"}>
            Events
          </SectionLink>
        )}
        <SectionLink href="/tasks" icon={<ListChecks className="size-4" />} active={pathname === "/tasks"}>
          Tasks
        </SectionLink>
        <SectionLink href="/library" icon={<LibraryBig className="size-4" />} active={pathname === "/library"}>
          Content Library
        </SectionLink>
        {showAdministration && (
          <SectionLink href="/admin/users" icon={<Users className="size-4" />} active={pathname.startsWith("/admin")}>
            Administration
          </SectionLink>
        )}
      </ul>
      {wholeInventory ? (
        <>
          <NavigatorViewTabs view={view} onChange={changeView} panelId={PANEL_ID} />
          <div id={PANEL_ID} role="tabpanel" aria-labelledby={viewTabId(view)} className="min-h-0 flex-1 overflow-auto p-2">
            <NavigatorTree key={view} view={view} selectedUid={selectedUid} rootName={view === "namespaces" ? null : consoleName} />
          </div>
        </>
      ) : (
        <div className="min-h-0 flex-1 overflow-auto p-2">
          <h2 className="px-2 pt-1 pb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">Your namespaces</h2>
          <NavigatorTree view="namespaces" selectedUid={selectedUid} rootName={null} />
          {seesFolders && (
            <>
              <h2 className="px-2 pt-4 pb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">Your folders</h2>
              <NavigatorTree view="vms-and-templates" selectedUid={selectedUid} rootName={null} />
            </>
          )}
        </div>
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
        className={cn("flex h-8 items-center gap-2 rounded-md px-2 text-sm hover:bg-muted", active && "bg-accent font-medium text-accent-foreground")}
      >
        <span aria-hidden className="text-muted-foreground">{icon}</span>
        {children}
      </Link>
    </li>
  );
}
