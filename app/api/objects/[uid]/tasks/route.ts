import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readObjectTasks } from "@/lib/inventory/object-activity";
import { pageParam } from "@/lib/http/page-param";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/tasks">) => {
  assertCan(user, "inventory.read");
  return NextResponse.json(await readObjectTasks((await params).uid, pageParam(request)), { headers: { "Cache-Control": "no-store" } });
});
