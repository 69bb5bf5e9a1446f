import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readDashboard } from "@/lib/inventory/dashboard-reads";

export const GET = withUser(async (_request, user) => {
  assertCan(user, "inventory.read");
  return NextResponse.json(await readDashboard(), { headers: { "Cache-Control": "no-store" } });
});
