"use client";
// The console's frame, as in the vSphere Client: header on top, a resizable navigator on the
// left, the page in the middle, and the resizable, collapsible Recent Tasks pane along the bottom.
// It hosts what any row in the frame can open: an object's context menu, Migrate on a dropped VM,
// and the keyboard shortcuts sheet.
import type { ReactNode } from "react";
import { ObjectContextMenuProvider } from "@/components/objects/actions/object-context-menu";
import { KeyboardShortcutsSheet } from "@/components/shell/keyboard-shortcuts-sheet";
import { ResizableHandle, ResizablePanel, ResizablePanelGroup } from "@/components/ui/resizable";
import { VmDropMigrateProvider } from "@/components/vms/vm-drop-migrate";

/** `recentTasks` is the pane's own handle and panel, below the page in the same panel group. */
export function ConsoleShell({ header, navigator, recentTasks, children }: { header: ReactNode; navigator: ReactNode; recentTasks: ReactNode; children: ReactNode }) {
  return (
    <ObjectContextMenuProvider>
      <VmDropMigrateProvider>
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
              <ResizablePanelGroup orientation="vertical">
                <ResizablePanel id="page" minSize={160}>
                  <main id="main" className="h-full overflow-auto bg-background">
                    {children}
                  </main>
                </ResizablePanel>
                {recentTasks}
              </ResizablePanelGroup>
            </ResizablePanel>
          </ResizablePanelGroup>
        </div>
        <KeyboardShortcutsSheet />
      </VmDropMigrateProvider>
    </ObjectContextMenuProvider>
  );
}
