import { NextResponse } from "next/server";
import { readAccessScope } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { alarmFilterFrom } from "@/lib/inventory/alarm-filter";
import { readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { authorizeObject } from "@/lib/inventory/object-access";
import { isUid } from "@/lib/inventory/object-view";

const NO_STORE = { "Cache-Control": "no-store" };

export const GET = withUser(async (request, user) => {
  const search = new URL(request.url).searchParams;
  const uid = search.get("uid") ?? undefined;
  const filter = alarmFilterFrom(search);
  if (uid !== undefined && !isUid(uid)) return NextResponse.json({ alarms: [], critical: 0, warning: 0, unacknowledged: 0, matching: 0 }, { headers: NO_STORE });
  // One object's alarms for whoever may read it; otherwise every alarm the reader may see.
  if (uid !== undefined) await authorizeObject(user, "read", uid);
  return NextResponse.json(await readTriggeredAlarms({ uid, filter, scope: await readAccessScope(user) }), { headers: NO_STORE });
});
