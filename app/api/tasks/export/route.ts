import { getAccessScope } from "@/lib/auth/session";
import { csvDownload, EXPORT_CHUNK_ROWS } from "@/lib/export/csv-response";
import { withUser } from "@/lib/http/route-handler";
import { strictSearchParams } from "@/lib/http/search-params";
import { readTaskHistoryExport } from "@/lib/inventory/task-history";
import { taskHistoryExportSchema, type TaskHistoryFilter } from "@/lib/inventory/task-history-filter";
import type { AccessScope } from "@/lib/auth/authorize";

const HEADER = ["Task Name", "Target Kind", "Target", "Status", "Progress (%)", "Error", "Initiator", "Queued (UTC)", "Completed (UTC)", "Task ID"];

async function* lines(filter: TaskHistoryFilter, access: AccessScope) {
  for await (const tasks of readTaskHistoryExport(filter, access, EXPORT_CHUNK_ROWS)) {
    yield tasks.map((task) => [task.description, task.targetKind, task.targetName, task.state, task.progress, task.error, task.initiator, task.queuedAt, task.completedAt, task.id]);
  }
}

// GET /api/tasks/export?status=&initiator=&target=: every task the filter keeps and the user may see, newest first, as CSV.
export const GET = withUser(async (request) => {
  const filter = strictSearchParams(taskHistoryExportSchema, new URL(request.url).searchParams);
  return csvDownload({ subject: "tasks", header: HEADER, chunks: lines(filter, await getAccessScope()), signal: request.signal });
});
