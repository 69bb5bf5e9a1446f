import { NextResponse } from "next/server";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readObjectTasks } from "@/lib/inventory/object-activity";
import { pageParam } from "@/lib/http/page-param";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/tasks">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  return NextResponse.json(await readObjectTasks(uid, pageParam(request), await getAccessScope()), { headers: { "Cache-Control": "no-store" } });
});
