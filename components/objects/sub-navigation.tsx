"use client";
// The left sub-navigation of an object's Monitor and Configure tabs, as in the vSphere Client.
// The chosen section lives in the URL's search params, so links and Back work; choosing one
// pushes history without a server round trip (Next keeps useSearchParams in step).
import { useSearchParams } from "next/navigation";
import type { MouseEvent } from "react";
import { cn } from "@/lib/utils";

export interface SubNavGroup {
  title: string;
  items: { id: string; label: string }[];
}

/** Sets (or, with null, removes) search params and pushes the new URL onto history. */
export function useSearchParamNavigation() {
  const searchParams = useSearchParams();
  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    return query ? `?${query}` : "?";
  };
  const navigate = (changes: Record<string, string | null>) => window.history.pushState(null, "", hrefWith(changes));
  const onClick = (changes: Record<string, string | null>) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(changes);
  };
  return { searchParams, hrefWith, navigate, onClick };
}

export function SubNavigation({ label, param, groups, current, resetParams = [] }: { label: string; param: string; groups: SubNavGroup[]; current: string; resetParams?: string[] }) {
  const { hrefWith, onClick } = useSearchParamNavigation();
  return (
    <nav aria-label={label} className="w-52 shrink-0 self-start overflow-hidden rounded-lg border border-border bg-surface py-2">
      {groups.map((group) => (
        <div key={group.title} className="mb-3 last:mb-0">
          <h3 className="px-4 pt-1 pb-1 text-xs font-semibold tracking-wide text-muted-foreground uppercase">{group.title}</h3>
          <ul>
            {group.items.map((item) => {
              const changes = { [param]: item.id, ...Object.fromEntries(resetParams.map((name) => [name, null])) };
              const active = item.id === current;
              return (
                <li key={item.id}>
                  <a
                    href={hrefWith(changes)}
                    onClick={onClick(changes)}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "block border-l-2 py-1.5 pr-3 pl-[calc(1rem-2px)] text-sm transition-colors",
                      active ? "border-primary bg-accent font-medium text-accent-foreground" : "border-transparent text-foreground hover:bg-muted",
                    )}
                  >
                    {item.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
