"use client";
// The keyboard shortcuts sheet: "?" anywhere but in a text field lists the console's keys, Esc closes it.
import { useEffect, useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";

interface Shortcut {
  keys: string[][];
  what: string;
}

const MOD = "Mod";

const GROUPS: { title: string; shortcuts: Shortcut[] }[] = [
  {
    title: "Anywhere",
    shortcuts: [
      { keys: [[MOD, "K"]], what: "Search the inventory" },
      { keys: [["?"]], what: "Show these shortcuts" },
      { keys: [["Esc"]], what: "Close a menu, dialog or this sheet" },
    ],
  },
  {
    title: "Navigator tree",
    shortcuts: [
      { keys: [["↑"], ["↓"]], what: "Previous or next object" },
      { keys: [["→"]], what: "Expand, then go to the first child" },
      { keys: [["←"]], what: "Collapse, then go to the parent" },
      { keys: [["Home"], ["End"]], what: "First or last object" },
      { keys: [["Enter"]], what: "Open the object's page" },
      { keys: [["a–z"]], what: "Jump to a name starting with what you type" },
      { keys: [["←"], ["→"]], what: "On the view tabs: switch views" },
    ],
  },
  {
    title: "Objects in the tree and in lists",
    shortcuts: [
      { keys: [["Shift", "F10"], ["Menu"]], what: "Open the object's Actions menu" },
      { keys: [["↑"], ["↓"], ["Enter"]], what: "In a menu: choose and run an action" },
    ],
  },
  {
    title: "Panes",
    shortcuts: [{ keys: [["Arrow keys"]], what: "On a focused divider: resize the navigator or Recent Tasks" }],
  },
];

/** Whether typing goes into a field, where "?" is text, not a shortcut. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !== null;
}

export function KeyboardShortcutsSheet() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typingIn(event.target)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {open && <ShortcutsContent />}
    </Dialog>
  );
}

function ShortcutsContent() {
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl";
  return (
    <DialogContent className="sm:max-w-2xl">
      <DialogHeader>
        <DialogTitle>Keyboard shortcuts</DialogTitle>
        <DialogDescription>Press ? to show them again, Esc to close.</DialogDescription>
      </DialogHeader>
      {/* Columns rather than a grid, so a short group does not leave a hole beside a long one. */}
      <div className="gap-x-8 sm:columns-2">
        {GROUPS.map((group) => (
          <section key={group.title} aria-labelledby={`shortcuts-${group.title}`} className="mb-5 break-inside-avoid">
            <h3 id={`shortcuts-${group.title}`} className="mb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              {group.title}
            </h3>
            <dl className="grid gap-1.5 text-sm">
              {group.shortcuts.map((shortcut) => (
                <div key={shortcut.what} className="flex items-baseline justify-between gap-3">
                  <dt className="text-foreground">{shortcut.what}</dt>
                  <dd className="flex shrink-0 items-center gap-1 text-xs text-muted-foreground">
                    {shortcut.keys.map((combo, index) => (
                      <span key={combo.join("+")} className="flex items-center gap-1">
                        {index > 0 && <span aria-hidden>/</span>}
                        {combo.map((key) => (
                          <kbd key={key} className="min-w-6 rounded border border-border bg-muted px-1.5 py-0.5 text-center font-mono text-xs text-foreground">
                            {key === MOD ? mod : key}
                          </kbd>
                        ))}
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </DialogContent>
  );
}
