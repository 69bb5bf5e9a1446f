import { NextResponse } from "next/server";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { eventFilterFrom } from "@/lib/inventory/event-filter";
import { readEvents } from "@/lib/inventory/event-reads";
import { pageParam } from "@/lib/http/page-param";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/events">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const filter = eventFilterFrom(new URL(request.url).searchParams);
  return NextResponse.json(await readEvents({ ...filter, uid }, pageParam(request), await getAccessScope()), { headers: { "Cache-Control": "no-store" } });
});
