import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readTaskDetail } from "@/lib/inventory/task-reads";

export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/tasks/[id]">) => {
  assertCan(user, "inventory.read");
  const detail = await readTaskDetail((await params).id);
  if (!detail) throw new NotFoundError("There is no task with this id.");
  return NextResponse.json(detail, { headers: { "Cache-Control": "no-store" } });
});
