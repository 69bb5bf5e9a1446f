import { Search } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { searchInventory } from "@/lib/inventory/inventory-reads";

export const metadata: Metadata = { title: "Search" };

export default async function SearchPage({ searchParams }: PageProps<"/search">) {
  await requirePermission("inventory.read");
  const { q } = await searchParams;
  const term = typeof q === "string" ? q.trim().slice(0, 200) : "";
  const hits = term ? await searchInventory(term) : [];
  const groups = new Map<string, typeof hits>();
  for (const hit of hits) groups.set(hit.kind, [...(groups.get(hit.kind) ?? []), hit]);

  return (
    <>
      <PageHeader icon={<Search className="size-5" />} title="Search" description={term ? `Results for “${term}”` : "Search the inventory by name, IP address or label"} />
      <div className="space-y-6 p-6">
        {term && hits.length === 0 && <p className="text-sm text-muted-foreground">Nothing in the inventory matches “{term}”.</p>}
        {[...groups].map(([kind, kindHits]) => (
          <section key={kind} aria-label={kind}>
            <h2 className="mb-2 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
              {kind} ({kindHits.length})
            </h2>
            <ul className="divide-y divide-border rounded-lg border border-border bg-surface">
              {kindHits.map((hit) => (
                <li key={hit.uid}>
                  <Link href={`/objects/${hit.uid}`} className="flex items-center justify-between px-4 py-2 text-sm hover:bg-muted">
                    <span className="font-medium">
                      {hit.namespace && <span className="text-muted-foreground">{hit.namespace}/</span>}
                      {hit.name}
                    </span>
                    <span className="text-xs text-muted-foreground">matched {hit.matched}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
