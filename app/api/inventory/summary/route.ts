import { NextResponse } from "next/server";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { readInventorySummary } from "@/lib/inventory/inventory-reads";

export const GET = withUser(async () => {
  return NextResponse.json(await readInventorySummary(await getAccessScope()), { headers: { "Cache-Control": "no-store" } });
});
