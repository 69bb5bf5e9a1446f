"use client";
// Monitor › Events: the object's audit and activity log, newest first, live.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, CircleX, Info } from "lucide-react";
import Link from "next/link";
import { ActivityTable, type ActivityColumn } from "@/components/objects/monitor/activity-table";
import { DateTime } from "@/components/ui/date-time";
import type { ObjectEventRow } from "@/lib/inventory/object-activity";
import { objectEventsQuery } from "@/lib/queries/object-queries";

const SEVERITIES: Record<string, { label: string; icon: typeof Info; className: string }> = {
  info: { label: "Information", icon: Info, className: "text-primary" },
  warning: { label: "Warning", icon: AlertTriangle, className: "text-warning" },
  error: { label: "Error", icon: CircleX, className: "text-destructive" },
};

function Severity({ severity }: { severity: string }) {
  const { label, icon: Icon, className } = SEVERITIES[severity] ?? SEVERITIES.info!;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className={`size-4 ${className}`} aria-hidden />
      {label}
    </span>
  );
}

const COLUMNS: ActivityColumn<ObjectEventRow>[] = [
  { header: "Time", cell: (event) => <DateTime value={event.time} />, className: "tabular-nums text-muted-foreground" },
  { header: "Type", cell: (event) => <Severity severity={event.severity} /> },
  {
    header: "Description",
    // Takes the width the other columns leave and truncates within it (max-w-0 lets it shrink).
    className: "w-full max-w-0",
    cell: (event) => (
      <span className="block truncate" title={event.message}>
        {event.message}
      </span>
    ),
  },
  { header: "Event Type", cell: (event) => <span className="font-mono text-xs">{event.reason}</span> },
  { header: "User", cell: (event) => event.actor ?? <span className="text-muted-foreground">System</span> },
  {
    header: "Task",
    cell: (event) =>
      event.taskId ? (
        <Link href={`/tasks/${event.taskId}`} className="text-primary underline-offset-4 hover:underline">
          View task
        </Link>
      ) : (
        <span className="text-muted-foreground">—</span>
      ),
  },
];

export function ObjectEventsTable({ uid, page, noun, onPage }: { uid: string; page: number; noun: string; onPage: (page: number) => void }) {
  return <ActivityTable label="Events" columns={COLUMNS} query={useQuery(objectEventsQuery(uid, page))} rowKey={(event) => event.id} empty={`No events have been recorded for this ${noun} yet.`} onPage={onPage} />;
}
