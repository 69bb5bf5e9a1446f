"use client";
// An inventory list's filter, sort and page live in the URL, so every view of a list has a
// link and Back returns to it. Updates use the History API, which Next.js keeps in step with
// useSearchParams without a server round trip; the table fetches the page itself.
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { listSearchString, parseListParams, type ListName, type ListParams } from "@/lib/inventory/list-definitions";

export function useListParams(list: ListName) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const params = useMemo(() => parseListParams(list, Object.fromEntries(searchParams.entries())), [list, searchParams]);
  const update = useCallback(
    (change: Partial<ListParams>, options: { replace?: boolean } = {}) => {
      const next = { ...params, ...change };
      const url = `${pathname}${listSearchString(next)}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [params, pathname],
  );
  return [params, update] as const;
}
