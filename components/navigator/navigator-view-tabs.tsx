"use client";
// The navigator's view switcher: icon tabs as in the vSphere Client, arrow keys between them.
import { Database, FolderKanban, Monitor, Network, Server, type LucideIcon } from "lucide-react";
import { useRef, type KeyboardEvent } from "react";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { NAVIGATOR_VIEW_LABELS, NAVIGATOR_VIEWS, type NavigatorView } from "@/lib/inventory/navigator-views";
import { cn } from "@/lib/utils";

const VIEW_ICONS: Record<NavigatorView, LucideIcon> = {
  "hosts-and-clusters": Server,
  "vms-and-templates": Monitor,
  storage: Database,
  networking: Network,
  namespaces: FolderKanban,
};

export const viewTabId = (view: NavigatorView) => `navigator-tab-${view}`;

export function NavigatorViewTabs({ view, onChange, panelId }: { view: NavigatorView; onChange: (view: NavigatorView) => void; panelId: string }) {
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent) => {
    const index = NAVIGATOR_VIEWS.indexOf(view);
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: NAVIGATOR_VIEWS.length - 1 - index }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = NAVIGATOR_VIEWS[(index + step + NAVIGATOR_VIEWS.length) % NAVIGATOR_VIEWS.length]!;
    onChange(next);
    list.current?.querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus();
  };

  return (
    <div ref={list} role="tablist" aria-label="Navigator views" onKeyDown={onKeyDown} className="flex items-center gap-1 border-b border-border px-2 py-1.5">
      {NAVIGATOR_VIEWS.map((candidate) => {
        const Icon = VIEW_ICONS[candidate];
        const active = candidate === view;
        return (
          <Tooltip key={candidate}>
            <TooltipTrigger asChild>
              <button
                type="button"
                role="tab"
                id={viewTabId(candidate)}
                data-view={candidate}
                aria-selected={active}
                aria-controls={panelId}
                aria-label={NAVIGATOR_VIEW_LABELS[candidate]}
                tabIndex={active ? 0 : -1}
                onClick={() => onChange(candidate)}
                className={cn(
                  "flex h-8 flex-1 items-center justify-center rounded-md text-muted-foreground outline-none hover:bg-muted hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
                  active && "bg-accent text-accent-foreground hover:bg-accent",
                )}
              >
                <Icon aria-hidden className="size-4" />
              </button>
            </TooltipTrigger>
            <TooltipContent side="bottom">{NAVIGATOR_VIEW_LABELS[candidate]}</TooltipContent>
          </Tooltip>
        );
      })}
    </div>
  );
}
