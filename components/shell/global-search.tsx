"use client";
// The header's search field; Ctrl/Cmd-K focuses it from anywhere.
import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

export function GlobalSearch() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const focusOnShortcut = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", focusOnShortcut);
    return () => window.removeEventListener("keydown", focusOnShortcut);
  }, []);

  return (
    <form
      role="search"
      className="relative w-full max-w-md"
      onSubmit={(event) => {
        event.preventDefault();
        const term = input.current?.value.trim();
        if (term) router.push(`/search?q=${encodeURIComponent(term)}`);
      }}
    >
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-header-foreground/60" aria-hidden />
      <input
        ref={input}
        type="search"
        name="q"
        aria-label="Search inventory"
        placeholder="Search by name, IP address or label"
        className="h-8 w-full rounded-md border border-white/15 bg-header-muted pr-14 pl-8 text-sm text-header-foreground placeholder:text-header-foreground/60 focus-visible:border-transparent focus-visible:outline-2 focus-visible:outline-ring"
      />
      <kbd className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-white/20 px-1.5 text-[10px] text-header-foreground/70">
        Ctrl K
      </kbd>
    </form>
  );
}
