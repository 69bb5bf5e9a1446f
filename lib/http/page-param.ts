// The 1-based `page` search param of paged views and route handlers: a whole number from 1 to
// MAX_PAGE. Read once here, so no view multiplies an unchecked number into an OFFSET.
import { InvalidInputError } from "@/lib/errors";

export const MAX_PAGE = 1_000_000;

/** The page `raw` names (absent is page 1), or null when it names none. */
export function readPage(raw: string | null): number | null {
  if (raw === null || raw === "") return 1;
  if (!/^\d{1,7}$/.test(raw)) return null;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PAGE ? page : null;
}

/** For pages and components: a `page` that names no page shows the first. */
export const pageOrFirst = (raw: string | null): number => readPage(raw) ?? 1;

/** For route handlers: a `page` that names no page is refused, naming the param and the rule. */
export function pageParam(request: Request): number {
  const page = readPage(new URL(request.url).searchParams.get("page"));
  if (page === null) throw new InvalidInputError("page", `page must be a whole number from 1 to ${MAX_PAGE}.`);
  return page;
}
