"use client";
// The tab strip of an object's page. Tabs are links, so each has a URL, Back works, and a tab
// can be opened in a new window.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { tabHref, TAB_LABELS, type ObjectTab } from "@/lib/inventory/object-tabs";
import { cn } from "@/lib/utils";

export function ObjectTabBar({ uid, tabs }: { uid: string; tabs: ObjectTab[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Object tabs" className="border-b border-border bg-surface px-4">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((tab) => {
          const href = tabHref(uid, tab);
          const active = pathname === href;
          return (
            <li key={tab}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-10 items-center border-b-2 px-3 text-sm font-medium whitespace-nowrap transition-colors",
                  active ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:border-border hover:text-foreground",
                )}
              >
                {TAB_LABELS[tab]}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
