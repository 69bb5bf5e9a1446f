"use client";
// A task's page below its header: status with progress or error, the facts (target, initiator,
// times), and the events it wrote or that happened to its target meanwhile. Live: refetched when
// the task or its target's events change.
import { useSuspenseQuery } from "@tanstack/react-query";
import { CircleAlert, Info, TriangleAlert } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { TaskProgressBar, TaskStateBadge } from "@/components/tasks/task-status";
import { dateTime, duration, queuedFor } from "@/components/tasks/task-times";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { TaskEventView, TaskView } from "@/lib/inventory/task-reads";
import { taskDetailQuery } from "@/lib/queries/task-queries";

export function TaskDetailView({ id, target }: { id: string; target: { uid: string | null; kind: string } }) {
  const { data } = useSuspenseQuery(taskDetailQuery(id, target));
  const { task, events } = data;
  return (
    <div className="space-y-4 p-6">
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <StatusCard task={task} />
        <FactsCard task={task} />
      </div>
      <EventsCard events={events} />
    </div>
  );
}

function StatusCard({ task }: { task: TaskView }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-3 text-sm">
          Status <TaskStateBadge state={task.state} />
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {task.state === "error" ? (
          <Alert variant="destructive">
            <CircleAlert aria-hidden />
            <AlertTitle>The task failed</AlertTitle>
            <AlertDescription>{task.error ?? "The engine gave no reason."}</AlertDescription>
          </Alert>
        ) : (
          <>
            <div className="flex items-center gap-3">
              <TaskProgressBar task={task} className="h-2 flex-1" />
              <span className="w-12 text-right text-sm font-medium tabular-nums">{task.progress} %</span>
            </div>
            <p className="text-sm text-muted-foreground">
              {task.state === "queued"
                ? "Waiting for the engine to pick it up."
                : task.state === "running"
                  ? (task.progressMessage ?? "In progress.")
                  : `Completed in ${duration(new Date(task.completedAt!).getTime() - new Date(task.startedAt ?? task.queuedAt).getTime())}.`}
            </p>
            {task.result && <p className="text-sm">{task.result}</p>}
          </>
        )}
      </CardContent>
    </Card>
  );
}

function FactsCard({ task }: { task: TaskView }) {
  const facts: [string, ReactNode][] = [
    [
      "Target",
      task.targetUid ? (
        <Link href={`/objects/${task.targetUid}`} className="text-primary hover:underline">
          {task.targetName}
        </Link>
      ) : (
        `${task.targetName} (no longer in the inventory)`
      ),
    ],
    ["Target type", task.targetKind],
    ["Operation", <code key="operation" className="font-mono text-xs">{task.operation}</code>],
    ["Initiator", task.initiator],
    ["Queued", dateTime(task.queuedAt)],
    ["Queued for", queuedFor(task)],
    ["Started", dateTime(task.startedAt)],
    ["Completed", dateTime(task.completedAt)],
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Details</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">{value}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

const SEVERITY_ICONS: Record<string, ReactNode> = {
  error: <CircleAlert className="size-4 text-destructive" aria-hidden />,
  warning: <TriangleAlert className="size-4 text-warning" aria-hidden />,
  info: <Info className="size-4 text-muted-foreground" aria-hidden />,
};

function EventsCard({ events }: { events: TaskEventView[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Events</CardTitle>
      </CardHeader>
      <CardContent className="p-0">
        {events.length === 0 ? (
          <p className="px-4 pb-2 text-sm text-muted-foreground">No events recorded for this task or its target yet.</p>
        ) : (
          <Table aria-label="Events">
            <TableHeader>
              <TableRow>
                <TableHead className="pl-4">Time</TableHead>
                <TableHead>Severity</TableHead>
                <TableHead>Description</TableHead>
                <TableHead>Object</TableHead>
                <TableHead className="pr-4">User</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.map((event) => (
                <TableRow key={event.id}>
                  <TableCell className="pl-4 tabular-nums text-muted-foreground">{dateTime(event.time)}</TableCell>
                  <TableCell>
                    <span className="flex items-center gap-1.5 capitalize">
                      {SEVERITY_ICONS[event.severity] ?? SEVERITY_ICONS.info}
                      {event.severity}
                    </span>
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <span className="flex flex-wrap items-center gap-2">
                      {event.message}
                      {!event.fromThisTask && <Badge variant="outline">on the target</Badge>}
                    </span>
                  </TableCell>
                  <TableCell>{event.objectName}</TableCell>
                  <TableCell className="pr-4">{event.actor ?? "System"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

export function TaskDetailSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading task">
      <div className="flex items-center gap-3 border-b border-border bg-surface px-6 py-4">
        <Skeleton className="size-9" />
        <div className="space-y-2">
          <Skeleton className="h-5 w-72" />
          <Skeleton className="h-4 w-96" />
        </div>
      </div>
      <div className="space-y-4 p-6">
        <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <Skeleton className="h-36" />
          <Skeleton className="h-64" />
        </div>
        <Skeleton className="h-48" />
      </div>
    </div>
  );
}
