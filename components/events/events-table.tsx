"use client";
// An Events view: the filter bar over a paged table of events, newest first, live. On an object's
// Monitor tab it lists that object's events; the global view adds the object column and filter.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, CircleX, Info } from "lucide-react";
import Link from "next/link";
import { EventFilters } from "@/components/events/event-filters";
import { ExportCsvButton } from "@/components/tables/export-csv-button";
import { ActivityTable, type ActivityColumn } from "@/components/objects/monitor/activity-table";
import { KindIcon } from "@/components/objects/kind-icon";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { DateTime } from "@/components/ui/date-time";
import { eventFilterFrom, eventFilterSearch } from "@/lib/inventory/event-filter";
import type { EventRow } from "@/lib/inventory/event-reads";
import { eventsQuery } from "@/lib/queries/health-queries";
import { pageOrFirst } from "@/lib/http/page-param";

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

const TIME: ActivityColumn<EventRow> = { header: "Time", cell: (event) => <DateTime value={event.time} />, className: "tabular-nums text-muted-foreground" };
const TYPE: ActivityColumn<EventRow> = { header: "Type", cell: (event) => <Severity severity={event.severity} /> };
const OBJECT: ActivityColumn<EventRow> = {
  header: "Object",
  cell: (event) => (
    <span className="inline-flex items-center gap-1.5">
      <KindIcon kind={event.objectKind} className="size-4 text-muted-foreground" />
      {event.objectUid ? (
        <Link href={`/objects/${event.objectUid}`} className="text-primary underline-offset-4 hover:underline">
          {event.objectName}
        </Link>
      ) : (
        event.objectName
      )}
    </span>
  ),
};
const REST: ActivityColumn<EventRow>[] = [
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

export function EventsTable({ uid, noun }: { uid: string | null; noun?: string }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const filter = eventFilterFrom(searchParams);
  const page = pageOrFirst(searchParams.get("page"));
  const query = useQuery(eventsQuery(uid, filter, page));
  const filtered = Object.values(filter).some(Boolean);
  return (
    <div className="space-y-3">
      <EventFilters
        key={searchParams.toString()}
        filter={filter}
        showObject={uid === null}
        onChange={(changes) => navigate({ ...changes, page: null })}
        actions={<ExportCsvButton href={`${uid ? `/api/objects/${uid}/events` : "/api/events"}/export?${eventFilterSearch(filter)}`} total={query.data?.total} />}
      />
      <ActivityTable
        label="Events"
        columns={uid ? [TIME, TYPE, ...REST] : [TIME, TYPE, OBJECT, ...REST]}
        query={query}
        rowKey={(event) => event.id}
        empty={filtered ? "No events match these filters." : `No events have been recorded${noun ? ` for this ${noun}` : ""} yet.`}
        onPage={(next) => navigate({ page: next === 1 ? null : String(next) })}
      />
    </div>
  );
}
