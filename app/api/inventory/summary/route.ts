import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readInventorySummary } from "@/lib/inventory/inventory-reads";

export const GET = withUser(async (_request, user) => {
  assertCan(user, "inventory.read");
  return NextResponse.json(await readInventorySummary(), { headers: { "Cache-Control": "no-store" } });
});
