import { getAccessScope } from "@/lib/auth/session";
import { csvDownload, EXPORT_CHUNK_ROWS } from "@/lib/export/csv-response";
import { withUser } from "@/lib/http/route-handler";
import { strictSearchParams } from "@/lib/http/search-params";
import { readObjectTaskExport } from "@/lib/inventory/object-activity";
import { authorizeObject } from "@/lib/inventory/object-access";
import { z } from "zod";

const HEADER = ["Task Name", "Status", "Progress (%)", "Error", "Initiator", "Queued (UTC)", "Completed (UTC)", "Task ID"];

async function* lines(uid: string, access: Awaited<ReturnType<typeof getAccessScope>>) {
  for await (const tasks of readObjectTaskExport(uid, access, EXPORT_CHUNK_ROWS)) {
    yield tasks.map((task) => [task.description, task.state, task.progress, task.error, task.initiator, task.queuedAt, task.completedAt, task.id]);
  }
}

// GET /api/objects/<uid>/tasks/export: every task that targeted the object, newest first, as CSV.
export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/tasks/export">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  strictSearchParams(z.object({}), new URL(request.url).searchParams);
  return csvDownload({ subject: "tasks", header: HEADER, chunks: lines(uid, await getAccessScope()), signal: request.signal });
});
