// One search result's text: the name, what matched when it was not the name, and where it sits.
import type { SearchHit } from "@/lib/inventory/search-reads";

export function SearchHitLabel({ hit }: { hit: SearchHit }) {
  return (
    <>
      <span className="min-w-0 truncate font-medium">{hit.name}</span>
      {hit.matched !== "name" && (
        <span className="shrink-0 rounded border border-border px-1.5 text-xs text-muted-foreground">
          {hit.matched} {hit.matchedValue}
        </span>
      )}
      {hit.context && <span className="ml-auto min-w-0 shrink truncate pl-3 text-xs text-muted-foreground">{hit.context}</span>}
    </>
  );
}
