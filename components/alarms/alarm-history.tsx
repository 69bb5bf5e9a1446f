"use client";
// An object's alarm history: every status change of its alarms (triggered, cleared, reset),
// newest first. They are events, so this is the Events view narrowed to one event type.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AlertTriangle, CircleCheck, CircleX } from "lucide-react";
import { ActivityTable, type ActivityColumn } from "@/components/objects/monitor/activity-table";
import { DateTime } from "@/components/ui/date-time";
import type { EventRow } from "@/lib/inventory/event-reads";
import { eventsQuery } from "@/lib/queries/health-queries";

const ICONS = { error: [CircleX, "text-destructive"], warning: [AlertTriangle, "text-warning"], info: [CircleCheck, "text-success"] } as const;

const COLUMNS: ActivityColumn<EventRow>[] = [
  { header: "Time", cell: (event) => <DateTime value={event.time} />, className: "tabular-nums text-muted-foreground" },
  {
    header: "Change",
    className: "w-full max-w-0",
    cell: (event) => {
      const [Icon, tone] = ICONS[event.severity as keyof typeof ICONS] ?? ICONS.info;
      return (
        <span className="flex items-center gap-1.5">
          <Icon className={`size-4 shrink-0 ${tone}`} aria-hidden />
          <span className="truncate" title={event.message}>
            {event.message}
          </span>
        </span>
      );
    },
  },
  { header: "User", cell: (event) => event.actor ?? <span className="text-muted-foreground">System</span> },
];

export function AlarmHistory({ uid }: { uid: string }) {
  const [page, setPage] = useState(1);
  const query = useQuery(eventsQuery(uid, { type: "Alarm.statusChanged" }, page));
  return <ActivityTable label="Alarm history" columns={COLUMNS} query={query} rowKey={(event) => event.id} empty="No alarm has changed status on this object." onPage={setPage} />;
}
