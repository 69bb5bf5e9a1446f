import { Search } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { KindIcon, searchGroupLabel } from "@/components/search/search-kind";
import { SearchHitLabel } from "@/components/search/search-hit-label";
import { getAccessScope, requireUser } from "@/lib/auth/session";
import { MAX_SEARCH_TERM, MIN_SUBSTRING_TERM, searchInventory } from "@/lib/inventory/search-reads";

export const metadata: Metadata = { title: "Search" };

const RESULTS_PER_KIND = 50;

export default async function SearchPage({ searchParams }: PageProps<"/search">) {
  await requireUser();
  const { q } = await searchParams;
  const term = typeof q === "string" ? q.trim().slice(0, MAX_SEARCH_TERM) : "";
  const groups = term ? await searchInventory(term, RESULTS_PER_KIND, await getAccessScope()) : [];
  const total = groups.reduce((sum, group) => sum + group.total, 0);

  return (
    <>
      <PageHeader
        icon={<Search className="size-5" />}
        title="Search"
        description={term ? `${total.toLocaleString("en-US")} ${total === 1 ? "result" : "results"} for “${term}”` : "Search the inventory by name, IP address, label (app=web) or tag (tag:prod)"}
      />
      <div className="space-y-6 p-6">
        {!term && <p className="text-sm text-muted-foreground">Press Ctrl K anywhere, or use the search field at the top, to find an object.</p>}
        {term && total === 0 && (
          <p className="text-sm text-muted-foreground">
            Nothing in the inventory matches “{term}”.
            {term.length < MIN_SUBSTRING_TERM && ` Terms shorter than ${MIN_SUBSTRING_TERM} characters match whole names only.`}
          </p>
        )}
        {groups.map((group) => (
          <section key={group.kind} aria-label={searchGroupLabel(group.kind)}>
            <h2 className="mb-2 flex items-center gap-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              <KindIcon kind={group.kind} className="size-3.5" />
              {searchGroupLabel(group.kind)} ({group.total.toLocaleString("en-US")})
            </h2>
            <ul className="divide-y divide-border rounded-lg border border-border bg-surface">
              {group.hits.map((hit) => (
                <li key={hit.uid}>
                  <Link href={`/objects/${hit.uid}`} className="flex items-center gap-2 px-4 py-2 text-sm hover:bg-muted">
                    <SearchHitLabel hit={hit} />
                  </Link>
                </li>
              ))}
            </ul>
            {group.total > group.hits.length && (
              <p className="mt-2 text-xs text-muted-foreground">
                Showing the first {group.hits.length} of {group.total.toLocaleString("en-US")}.
                {group.kind === "VirtualMachine" && (
                  <>
                    {" "}
                    <Link href={`/vms?q=${encodeURIComponent(term)}`} className="font-medium text-primary underline-offset-2 hover:underline">
                      Open them in the VM list
                    </Link>
                  </>
                )}
              </p>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
