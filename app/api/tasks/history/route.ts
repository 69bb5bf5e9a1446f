import { NextResponse } from "next/server";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { pageParam } from "@/lib/http/page-param";
import { readTaskHistory } from "@/lib/inventory/task-history";
import { taskHistoryFilterFrom } from "@/lib/inventory/task-history-filter";

// GET /api/tasks/history?status=&initiator=&target=&page=: the Tasks view's page, of the tasks the user may see.
export const GET = withUser(async (request) => {
  const search = new URL(request.url).searchParams;
  return NextResponse.json(await readTaskHistory(taskHistoryFilterFrom(search), pageParam(request), await getAccessScope()), { headers: { "Cache-Control": "no-store" } });
});
