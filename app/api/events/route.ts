import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { pageParam } from "@/lib/http/page-param";
import { eventFilterFrom } from "@/lib/inventory/event-filter";
import { readEvents } from "@/lib/inventory/event-reads";

export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.read");
  const filter = eventFilterFrom(new URL(request.url).searchParams);
  return NextResponse.json(await readEvents(filter, pageParam(request), await getAccessScope()), { headers: { "Cache-Control": "no-store" } });
});
