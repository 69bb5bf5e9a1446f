// The console's URL search params as its route handlers (lib/http/route-handler.ts) and pages
// (proxy.ts) take them: text PostgreSQL can store (a NUL character or half a surrogate pair
// reached SQL and answered 500), and timestamps within its range (year 0000 is valid ISO 8601 but
// not a PostgreSQL timestamp).
import { z } from "zod";
import { isStorableText } from "@/lib/http/untrusted-input";

/** The name of the first param whose value PostgreSQL could not store, or null. */
export function unstorableParam(search: URLSearchParams): string | null {
  for (const [name, value] of search) if (!isStorableText(value)) return name;
  return null;
}

/** An ISO 8601 timestamp with an offset, in year 1 or later. */
export const timestampParam = z.iso.datetime({ offset: true }).refine((value) => new Date(value).getUTCFullYear() >= 1, "must be in year 1 or later");
