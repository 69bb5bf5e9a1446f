import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { LIST_NAMES, parseListParams, type ListName } from "@/lib/inventory/list-definitions";
import { readListPage } from "@/lib/inventory/object-lists";

// GET /api/lists/vms?scope=<uid>&q=&sort=&dir=&page=&size=: one page of an inventory list.
export const GET = withUser(async (request, _user, { params }: RouteContext<"/api/lists/[list]">) => {
  const { list } = await params;
  if (!(LIST_NAMES as readonly string[]).includes(list)) throw new NotFoundError(`There is no list named "${list}".`);
  const search = new URL(request.url).searchParams;
  const page = await readListPage(list as ListName, parseListParams(list as ListName, Object.fromEntries(search)), await getAccessScope(), search.get("scope") ?? undefined);
  if (!page) throw new NotFoundError("The object this list belongs to does not exist, or is not in one of your namespaces.");
  return NextResponse.json(page, { headers: { "Cache-Control": "no-store" } });
});
