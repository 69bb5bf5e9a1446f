// GET /api/search?q=&limit= : inventory objects matching a name, IP address or label, grouped by kind.
import { NextResponse } from "next/server";
import { InvalidInputError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { MAX_SEARCH_TERM, searchInventory } from "@/lib/inventory/search-reads";

export const GET = withUser(async (request) => {
  const params = new URL(request.url).searchParams;
  const term = params.get("q") ?? "";
  if (term.length > MAX_SEARCH_TERM) throw new InvalidInputError("q", `Search for at most ${MAX_SEARCH_TERM} characters.`);
  const limit = Number(params.get("limit") ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new InvalidInputError("limit", "limit must be a whole number from 1 to 50.");
  return NextResponse.json({ groups: await searchInventory(term, limit, await getAccessScope()) }, { headers: { "Cache-Control": "no-store" } });
});
