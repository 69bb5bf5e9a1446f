import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { readTaskDetail } from "@/lib/inventory/task-reads";

export const GET = withUser(async (_request, _user, { params }: RouteContext<"/api/tasks/[id]">) => {
  const detail = await readTaskDetail((await params).id, await getAccessScope());
  if (!detail) throw new NotFoundError("There is no task with this id on an object you can see.");
  return NextResponse.json(detail, { headers: { "Cache-Control": "no-store" } });
});
