"use client";
// Monitor › Tasks: every task that targeted this object, newest first, live.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ActivityTable, type ActivityColumn } from "@/components/objects/monitor/activity-table";
import { ExportCsvButton } from "@/components/tables/export-csv-button";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import type { ObjectTaskRow } from "@/lib/inventory/object-activity";
import { objectTasksQuery } from "@/lib/queries/object-queries";

function TaskState({ task }: { task: ObjectTaskRow }) {
  if (task.state === "success") return <Badge variant="success">Completed</Badge>;
  if (task.state === "error") {
    return (
      <span className="flex max-w-72 min-w-0 items-center gap-2">
        <Badge variant="destructive">Failed</Badge>
        <span className="truncate text-xs text-destructive" title={task.error ?? undefined}>
          {task.error}
        </span>
      </span>
    );
  }
  const label = task.state === "queued" ? "Queued" : `${task.progress} %`;
  return (
    <span className="flex items-center gap-2">
      <span
        role="progressbar"
        aria-label={`${task.description}: ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={task.progress}
        className="h-1.5 w-24 overflow-hidden rounded-full bg-muted"
      >
        <span className="block h-full bg-primary transition-[width]" style={{ width: `${task.progress}%` }} />
      </span>
      <span className="text-xs text-muted-foreground tabular-nums">{label}</span>
    </span>
  );
}

/** The columns of a task table, in their order; the Tasks view adds the target after the name. */
export const TASK_COLUMNS = {
  name: {
    header: "Task Name",
    cell: (task) => (
      <Link href={`/tasks/${task.id}`} title={task.description} className="block max-w-72 truncate font-medium text-primary underline-offset-4 hover:underline">
        {task.description}
      </Link>
    ),
  },
  status: { header: "Status", cell: (task) => <TaskState task={task} /> },
  initiator: { header: "Initiator", cell: (task) => task.initiator },
  queued: { header: "Queued", cell: (task) => <DateTime value={task.queuedAt} compact />, className: "tabular-nums text-muted-foreground" },
  completed: { header: "Completed", cell: (task) => <DateTime value={task.completedAt} compact />, className: "tabular-nums text-muted-foreground" },
} satisfies Record<string, ActivityColumn<ObjectTaskRow>>;

const COLUMNS: ActivityColumn<ObjectTaskRow>[] = [TASK_COLUMNS.name, TASK_COLUMNS.status, TASK_COLUMNS.initiator, TASK_COLUMNS.queued, TASK_COLUMNS.completed];

export function ObjectTasksTable({ uid, page, noun, onPage }: { uid: string; page: number; noun: string; onPage: (page: number) => void }) {
  const query = useQuery(objectTasksQuery(uid, page));
  return (
    <div className="space-y-3">
      <div className="flex justify-end">
        <ExportCsvButton href={`/api/objects/${uid}/tasks/export`} total={query.data?.total} />
      </div>
      <ActivityTable label="Tasks" columns={COLUMNS} query={query} rowKey={(task) => task.id} empty={`No tasks have targeted this ${noun} yet.`} onPage={onPage} />
    </div>
  );
}
