import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { isUid } from "@/lib/inventory/object-view";

export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.read");
  const uid = new URL(request.url).searchParams.get("uid") ?? undefined;
  if (uid !== undefined && !isUid(uid)) return NextResponse.json({ alarms: [], critical: 0, warning: 0 }, { headers: { "Cache-Control": "no-store" } });
  return NextResponse.json(await readTriggeredAlarms({ uid }), { headers: { "Cache-Control": "no-store" } });
});
