import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readRecentTasks } from "@/lib/inventory/task-reads";

export const GET = withUser(async (_request, user) => {
  assertCan(user, "inventory.read");
  return NextResponse.json({ tasks: await readRecentTasks() }, { headers: { "Cache-Control": "no-store" } });
});
