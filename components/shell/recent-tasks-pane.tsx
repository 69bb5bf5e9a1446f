"use client";
// The bottom Recent Tasks pane, collapsible as in the vSphere Client: each task's name, target,
// status with progress, initiator and times. A failed task shows its error.
import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronUp, ListChecks } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RecentTask } from "@/lib/inventory/task-reads";
import { recentTasksQuery } from "@/lib/queries/inventory-queries";

const COLUMNS = ["Task Name", "Target", "Status", "Initiator", "Queued For", "Start Time", "Completion Time"];

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString("en-US", { hour12: false }) : "—");

function queuedFor(task: RecentTask): string {
  const end = task.startedAt ? new Date(task.startedAt).getTime() : Date.now();
  return `${Math.max(0, Math.round(end - new Date(task.queuedAt).getTime()))} ms`;
}

function TaskStatus({ task }: { task: RecentTask }) {
  if (task.state === "success") return <Badge variant="success">Completed</Badge>;
  if (task.state === "error") {
    return (
      <span className="flex min-w-0 items-center gap-2">
        <Badge variant="destructive">Failed</Badge>
        <span className="truncate text-xs text-destructive" title={task.error ?? undefined}>{task.error}</span>
      </span>
    );
  }
  return (
    <span className="flex items-center gap-2" title={task.progressMessage ?? undefined}>
      <span className="h-1.5 w-20 overflow-hidden rounded-full bg-muted" role="progressbar" aria-valuenow={task.progress} aria-valuemin={0} aria-valuemax={100} aria-label={`${task.description} progress`}>
        <span className="block h-full bg-primary transition-[width]" style={{ width: `${task.progress}%` }} />
      </span>
      <span className="text-xs tabular-nums text-muted-foreground">{task.state === "queued" ? "Queued" : `${task.progress} %`}</span>
    </span>
  );
}

export function RecentTasksPane({ enabled }: { enabled: boolean }) {
  const [open, setOpen] = useState(true);
  const { data: tasks = [], isPending } = useQuery({ ...recentTasksQuery(), enabled: enabled && open });
  return (
    <section aria-label="Recent Tasks" className="flex flex-col border-t border-border bg-surface">
      <div className="flex h-9 shrink-0 items-center justify-between px-3">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          <ListChecks className="size-4 text-muted-foreground" aria-hidden /> Recent Tasks
        </h2>
        <button
          type="button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          aria-controls="recent-tasks-body"
          className="flex h-7 items-center gap-1 rounded-md px-2 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
        >
          {open ? <ChevronDown className="size-4" aria-hidden /> : <ChevronUp className="size-4" aria-hidden />}
          {open ? "Collapse" : "Expand"}
        </button>
      </div>
      {open && (
        <div id="recent-tasks-body" className="h-40 overflow-auto border-t border-border">
          <Table>
            <TableHeader className="sticky top-0 bg-surface">
              <TableRow>
                {COLUMNS.map((column) => (
                  <TableHead key={column}>{column}</TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {tasks.length === 0 && (
                <TableRow>
                  <TableCell colSpan={COLUMNS.length} className="py-6 text-center text-muted-foreground">
                    {!enabled
                      ? "Tasks on your namespaces will appear here."
                      : isPending
                        ? "Loading tasks…"
                        : "No tasks yet. Operations you and others start will appear here as they run."}
                  </TableCell>
                </TableRow>
              )}
              {tasks.map((task) => (
                <TableRow key={task.id}>
                  <TableCell className="font-medium">{task.description}</TableCell>
                  <TableCell>
                    {task.targetUid ? (
                      <Link href={`/objects/${task.targetUid}`} className="text-primary hover:underline">
                        {task.targetName}
                      </Link>
                    ) : (
                      task.targetName
                    )}
                  </TableCell>
                  <TableCell className="max-w-72">
                    <TaskStatus task={task} />
                  </TableCell>
                  <TableCell>{task.initiator}</TableCell>
                  <TableCell className="tabular-nums text-muted-foreground">{queuedFor(task)}</TableCell>
                  <TableCell className="tabular-nums text-muted-foreground">{time(task.startedAt)}</TableCell>
                  <TableCell className="tabular-nums text-muted-foreground">{time(task.completedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
