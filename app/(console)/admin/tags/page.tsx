import { Tags } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { TagCatalogView } from "@/components/tags/tag-catalog-view";
import { requirePermission } from "@/lib/auth/session";
import { readTagCatalog } from "@/lib/inventory/tag-reads";

export const metadata: Metadata = { title: "Tags & Custom Attributes · Administration" };

export default async function TagsAndCustomAttributesPage() {
  await requirePermission("tags.manage");
  const catalog = await readTagCatalog();
  const tagCount = catalog.categories.reduce((sum, category) => sum + category.tags.length, 0);
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return (
    <>
      <PageHeader
        icon={<Tags className="size-5" />}
        title="Tags & Custom Attributes"
        description={`Administration · ${catalog.categories.length === 1 ? "1 category" : `${catalog.categories.length} categories`}, ${count(tagCount, "tag")}, ${count(catalog.attributes.length, "custom attribute")}`}
      />
      <TagCatalogView catalog={catalog} />
    </>
  );
}
