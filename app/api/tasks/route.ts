import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readRecentTasks } from "@/lib/inventory/task-reads";

// `?scope=mine`: only the signed-in user's tasks; anything else: everyone's.
export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.read");
  const mine = new URL(request.url).searchParams.get("scope") === "mine";
  const tasks = await readRecentTasks(mine ? { initiator: user.username } : {});
  return NextResponse.json({ tasks }, { headers: { "Cache-Control": "no-store" } });
});
