// What an inventory list's CSV export is asked for: the list's current filter and sort (never its
// page: an export covers every page) and the columns shown, as URL search params. The browser
// builds the link from the list's state; the export route reads it back strictly.
import { z } from "zod";
import { DEFAULT_PAGE_SIZE, LIST_COLUMNS, listParamRules, listSearchString, type ListName, type ListParams } from "@/lib/inventory/list-definitions";

export function listExportSchema(list: ListName) {
  const rules = listParamRules(list);
  const ids = LIST_COLUMNS[list].map((column) => column.id);
  return z.object({
    q: rules.q.default(""),
    sort: rules.sort.default("name"),
    dir: rules.dir.default("asc"),
    power: rules.power.optional(),
    namespace: rules.namespace.optional(),
    tag: rules.tag.optional(),
    scope: z.uuid("must be an object's uid").optional(),
    columns: z
      .string()
      .transform((value) => value.split(","))
      .refine((chosen) => chosen.length <= ids.length && chosen.every((id) => ids.includes(id)), `must be a comma-separated list of ${ids.join(", ")}`)
      .optional(),
  });
}

export type ListExportParams = z.infer<ReturnType<typeof listExportSchema>>;

/** The export route's URL for a list as the user sees it. */
export function listExportHref(list: ListName, params: ListParams, columns: string[], scopeUid?: string): string {
  // The list's own search string without its page and page size.
  const search = new URLSearchParams(listSearchString({ ...params, page: 1, size: DEFAULT_PAGE_SIZE }));
  if (scopeUid) search.set("scope", scopeUid);
  search.set("columns", columns.join(","));
  return `/api/lists/${list}/export?${search}`;
}
