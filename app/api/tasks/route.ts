import { NextResponse } from "next/server";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { readRecentTasks } from "@/lib/inventory/task-reads";

// `?scope=mine`: only the signed-in user's tasks; anything else: everyone's, on objects they can see.
export const GET = withUser(async (request, user) => {
  const mine = new URL(request.url).searchParams.get("scope") === "mine";
  const tasks = await readRecentTasks({ ...(mine && { initiator: user.username }), access: await getAccessScope() });
  return NextResponse.json({ tasks }, { headers: { "Cache-Control": "no-store" } });
});
