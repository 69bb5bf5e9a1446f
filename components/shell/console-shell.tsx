"use client";
// The console's frame, as in the vSphere Client: header on top, a resizable navigator on the
// left, the page in the middle, and the collapsible Recent Tasks pane along the bottom.
import type { ReactNode } from "react";
import { ResizableHandle, ResizablePanel, ResizablePanelGroup } from "@/components/ui/resizable";

export function ConsoleShell({ header, navigator, recentTasks, children }: { header: ReactNode; navigator: ReactNode; recentTasks: ReactNode; children: ReactNode }) {
  return (
    <div className="flex h-dvh flex-col overflow-hidden">
      <a href="#main" className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:absolute focus:top-2 focus:left-2">
        Skip to content
      </a>
      {header}
      <ResizablePanelGroup orientation="horizontal" className="min-h-0 flex-1">
        <ResizablePanel id="navigator" defaultSize={280} minSize={200} maxSize={520} className="border-r border-border">
          {navigator}
        </ResizablePanel>
        <ResizableHandle withHandle aria-label="Resize navigator" />
        <ResizablePanel id="content" minSize={320}>
          <div className="flex h-full min-h-0 flex-col">
            <main id="main" className="min-h-0 flex-1 overflow-auto bg-background">
              {children}
            </main>
            <div className="shrink-0">{recentTasks}</div>
          </div>
        </ResizablePanel>
      </ResizablePanelGroup>
    </div>
  );
}
