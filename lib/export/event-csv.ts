// The Events views as CSV: one line per event, newest first, with the columns the table shows
// (the object's kind and name spelled out, the task as its id) and the time in UTC.
import "server-only";
import type { AccessScope } from "@/lib/auth/authorize";
import { csvDownload, EXPORT_CHUNK_ROWS } from "@/lib/export/csv-response";
import type { EventFilter } from "@/lib/inventory/event-filter";
import { readEventExport, type EventRow } from "@/lib/inventory/event-reads";

const HEADER = ["Time (UTC)", "Severity", "Object Kind", "Object", "Description", "Event Type", "User", "Task ID"];

const cells = (event: EventRow) => [
  event.time,
  event.severity,
  event.objectKind,
  event.objectNamespace ? `${event.objectNamespace}/${event.objectName}` : event.objectName,
  event.message,
  event.reason,
  event.actor ?? "System",
  event.taskId,
];

async function* lines(filter: EventFilter & { uid?: string }, access: AccessScope) {
  for await (const events of readEventExport(filter, access, EXPORT_CHUNK_ROWS)) yield events.map(cells);
}

export function eventsCsvDownload(subject: string, filter: EventFilter & { uid?: string }, access: AccessScope, signal: AbortSignal): Promise<Response> {
  return csvDownload({ subject, header: HEADER, chunks: lines(filter, access), signal });
}
