import { NextResponse } from "next/server";
import { readAccessScope } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readAlarmCounts } from "@/lib/inventory/alarm-reads";

export const GET = withUser(async (_request, user) =>
  NextResponse.json(await readAlarmCounts(await readAccessScope(user)), { headers: { "Cache-Control": "no-store" } }),
);
