"use client";
// The command palette behind the header's search field: results as you type, grouped by kind;
// arrows and Enter open an object, and "See all results" opens the search page.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowRight, Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { KindIcon, searchGroupLabel } from "@/components/search/search-kind";
import { SearchHitLabel } from "@/components/search/search-hit-label";
import { CommandDialog, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { searchQuery } from "@/lib/queries/search-queries";

const DEBOUNCE_MS = 200;

function useDebounced(value: string): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return debounced;
}

export function SearchPalette({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const [input, setInput] = useState("");
  const term = useDebounced(input.trim());
  const { data: groups, error, isFetching } = useQuery({ ...searchQuery(term), enabled: open && term !== "", placeholderData: keepPreviousData });
  const shown = term ? (groups ?? []) : [];
  const settled = term === input.trim() && !isFetching;

  // New results start with their first row highlighted, so Enter opens the best match.
  const [highlighted, setHighlighted] = useState("");
  const [highlightedFor, setHighlightedFor] = useState<unknown>(null);
  if (groups !== highlightedFor) {
    setHighlightedFor(groups);
    setHighlighted(groups?.[0]?.hits[0]?.uid ?? "");
  }

  const go = (href: string) => {
    onOpenChange(false);
    router.push(href);
  };

  return (
    <CommandDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Search the inventory"
      description="Find any object by name, IP address, label or tag; Enter opens it."
      commandProps={{ shouldFilter: false, loop: true, value: highlighted, onValueChange: setHighlighted }}
    >
      <CommandInput value={input} onValueChange={setInput} aria-label="Search inventory" placeholder="Search by name, IP address, label (app=web) or tag (tag:prod)" />
      <CommandList>
        {!input.trim() && <p className="px-4 py-6 text-center text-sm text-muted-foreground">Type a name, an IP address, a label such as app=web, or a tag such as tag:prod or tag:Environment:prod.</p>}
        {error && <p role="alert" className="px-4 py-6 text-center text-sm text-destructive">Search failed: {error.message}</p>}
        {input.trim() && !error && settled && <CommandEmpty>Nothing in the inventory matches “{term}”.</CommandEmpty>}
        {input.trim() && !settled && shown.length === 0 && (
          <p className="flex items-center justify-center gap-2 py-6 text-sm text-muted-foreground">
            <Loader2 aria-hidden className="size-4 animate-spin motion-reduce:animate-none" /> Searching…
          </p>
        )}
        {shown.map((group) => (
          <CommandGroup key={group.kind} heading={`${searchGroupLabel(group.kind)} (${group.total.toLocaleString("en-US")})`}>
            {group.hits.map((hit) => (
              <CommandItem key={hit.uid} value={hit.uid} onSelect={() => go(`/objects/${hit.uid}`)}>
                <KindIcon kind={hit.kind} className="size-4 text-muted-foreground" />
                <SearchHitLabel hit={hit} />
              </CommandItem>
            ))}
          </CommandGroup>
        ))}
        {shown.length > 0 && (
          <CommandGroup>
            <CommandItem value="see-all-results" onSelect={() => go(`/search?q=${encodeURIComponent(term)}`)}>
              <ArrowRight aria-hidden className="size-4 text-muted-foreground" />
              See all results for “{term}”
            </CommandItem>
          </CommandGroup>
        )}
      </CommandList>
    </CommandDialog>
  );
}
