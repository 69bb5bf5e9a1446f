"use client";
// The sections of Administration, as links: users, groups, namespaces, self-service templates, alarm definitions, tags and custom attributes, extensions.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const SECTIONS = [
  ["/admin/users", "Users"],
  ["/admin/groups", "Groups"],
  ["/admin/namespaces", "Namespaces"],
  ["/admin/self-service", "Self-Service"],
  ["/admin/alarms", "Alarm Definitions"],
  ["/admin/tags", "Tags & Custom Attributes"],
  ["/admin/extensions", "Extensions"],
] as const;

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Administration" className="border-b border-border bg-surface px-4">
      <ul className="-mb-px flex gap-1">
        {SECTIONS.map(([href, label]) => (
          <li key={href}>
            <Link
              href={href}
              aria-current={pathname === href ? "page" : undefined}
              className={cn(
                "inline-flex h-10 items-center border-b-2 px-3 text-sm font-medium",
                pathname === href ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:border-border hover:text-foreground",
              )}
            >
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
