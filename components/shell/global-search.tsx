"use client";
// The header's search field: it opens the search palette, as does Ctrl/Cmd-K from anywhere.
import { Search } from "lucide-react";
import { useEffect, useState } from "react";
import { SearchPalette } from "@/components/search/search-palette";

export function GlobalSearch() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const openOnShortcut = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", openOnShortcut);
    return () => window.removeEventListener("keydown", openOnShortcut);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K Meta+K"
        className="relative flex h-8 w-full max-w-md items-center rounded-md border border-white/15 bg-header-muted pr-14 pl-8 text-left text-sm text-header-foreground/70 hover:border-white/30 focus-visible:border-transparent focus-visible:outline-2 focus-visible:outline-ring"
      >
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-header-foreground/60" aria-hidden />
        Search by name, IP address, label or tag
        <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-white/20 px-1.5 text-[10px] text-header-foreground/70">
          Ctrl K
        </kbd>
      </button>
      <SearchPalette open={open} onOpenChange={setOpen} />
    </>
  );
}
