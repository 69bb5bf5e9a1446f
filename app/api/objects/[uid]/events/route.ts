import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readObjectEvents } from "@/lib/inventory/object-activity";
import { pageParam } from "@/lib/http/page-param";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/events">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  return NextResponse.json(await readObjectEvents(uid, pageParam(request)), { headers: { "Cache-Control": "no-store" } });
});
