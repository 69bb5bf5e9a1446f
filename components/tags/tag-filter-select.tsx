"use client";
// A list toolbar's Tag filter: every tag of the categories that apply to the list's object type,
// grouped by category, written to the URL as `tag=Category:Tag` (the server filters by it).
import { useQuery } from "@tanstack/react-query";
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectTrigger, SelectValue } from "@/components/ui/select";
import { TAGGABLE_KINDS } from "@/lib/actions/tags/tag-schemas";
import { tagCatalogQuery } from "@/lib/queries/tag-queries";

const ALL_TAGS = "all-tags";

export function TagFilterSelect({ kind, value, onChange }: { kind: string; value: string | undefined; onChange: (tag: string | undefined) => void }) {
  const { data } = useQuery(tagCatalogQuery());
  if (!(TAGGABLE_KINDS as readonly string[]).includes(kind)) return null;
  const categories = (data?.categories ?? []).filter((category) => category.tags.length > 0 && (category.objectKinds.length === 0 || (category.objectKinds as string[]).includes(kind)));
  const known = categories.some((category) => category.tags.some((tag) => `${category.name}:${tag.name}` === value));
  if (categories.length === 0 && !value) return null;
  return (
    <Select value={value ?? ALL_TAGS} onValueChange={(next) => onChange(next === ALL_TAGS ? undefined : next)}>
      <SelectTrigger aria-label="Tag" className="w-48">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL_TAGS}>All tags</SelectItem>
        {value && !known && <SelectItem value={value}>Tag: {value}</SelectItem>}
        {categories.map((category) => (
          <SelectGroup key={category.id}>
            <SelectLabel>{category.name}</SelectLabel>
            {category.tags.map((tag) => (
              <SelectItem key={tag.id} value={`${category.name}:${tag.name}`}>
                {category.name}: {tag.name}
              </SelectItem>
            ))}
          </SelectGroup>
        ))}
      </SelectContent>
    </Select>
  );
}
