import { NextResponse } from "next/server";
import { can } from "@/lib/auth/authorize";
import { ForbiddenError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { authorizeObject } from "@/lib/inventory/object-access";
import { isUid } from "@/lib/inventory/object-view";

export const GET = withUser(async (request, user) => {
  const uid = new URL(request.url).searchParams.get("uid") ?? undefined;
  if (uid !== undefined && !isUid(uid)) return NextResponse.json({ alarms: [], critical: 0, warning: 0 }, { headers: { "Cache-Control": "no-store" } });
  // One object's alarms for whoever may read it; every alarm only for those who see everything.
  if (uid !== undefined) await authorizeObject(user, "read", uid);
  else if (!can(user, "inventory.read")) throw new ForbiddenError("Only administrators and operators can see every alarm.");
  return NextResponse.json(await readTriggeredAlarms({ uid }), { headers: { "Cache-Control": "no-store" } });
});
