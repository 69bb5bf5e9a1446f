import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { eventFilterFrom } from "@/lib/inventory/event-filter";
import { readEvents } from "@/lib/inventory/event-reads";
import { ACTIVITY_PAGE_SIZE } from "@/lib/inventory/object-activity";
import { isUid } from "@/lib/inventory/object-view";
import { pageParam } from "@/lib/http/page-param";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/events">) => {
  assertCan(user, "inventory.read");
  const { uid } = await params;
  const page = pageParam(request);
  if (!isUid(uid)) return NextResponse.json({ rows: [], total: 0, page, size: ACTIVITY_PAGE_SIZE }, { headers: { "Cache-Control": "no-store" } });
  const filter = eventFilterFrom(new URL(request.url).searchParams);
  return NextResponse.json(await readEvents({ ...filter, uid }, page), { headers: { "Cache-Control": "no-store" } });
});
