"use client";
// Triggered alarms, critical first: on an object's Monitor › Issues and Alarms, the first few on
// Home, or every one the reader may see (Triggered Alarms, filtered). Operators Acknowledge (it stays
// triggered, marked as seen) or Reset to Green.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import Link from "next/link";
import { toast } from "sonner";
import { AlarmStatusIcon } from "@/components/alarms/alarm-status-icon";
import { KindIcon } from "@/components/objects/kind-icon";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { acknowledgeAlarm } from "@/lib/actions/alarms/acknowledge-alarm";
import { resetAlarm } from "@/lib/actions/alarms/reset-alarm";
import type { AlarmFilter } from "@/lib/inventory/alarm-filter";
import type { TriggeredAlarm } from "@/lib/inventory/alarm-reads";
import { healthKeys, triggeredAlarmsQuery } from "@/lib/queries/health-queries";

export function TriggeredAlarmsTable({
  uid,
  canOperate,
  limit,
  filter,
  empty,
}: {
  uid: string | null;
  canOperate: boolean;
  limit?: number;
  filter?: AlarmFilter;
  empty: string;
}) {
  const { data, error } = useQuery(triggeredAlarmsQuery(uid, filter));
  if (error) return <p role="alert" className="text-sm text-destructive">Alarms could not be loaded: {error.message}</p>;
  if (!data) return <Skeleton className="h-32" />;
  const alarms = limit ? data.alarms.slice(0, limit) : data.alarms;
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface">
      <Table aria-label="Triggered alarms">
        <TableHeader>
          <TableRow>
            <TableHead className="px-3">Status</TableHead>
            {uid === null && <TableHead className="px-3">Object</TableHead>}
            <TableHead className="px-3">Alarm</TableHead>
            <TableHead className="w-full px-3">Details</TableHead>
            <TableHead className="px-3">Triggered</TableHead>
            <TableHead className="px-3">Acknowledged</TableHead>
            {canOperate && <TableHead className="px-3"><span className="sr-only">Actions</span></TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {alarms.length === 0 && (
            <TableRow className="hover:bg-transparent">
              <TableCell colSpan={7} className="h-20 text-center text-muted-foreground">
                {empty}
              </TableCell>
            </TableRow>
          )}
          {alarms.map((alarm) => (
            <AlarmRow key={`${alarm.definitionId}/${alarm.objectUid}`} alarm={alarm} showObject={uid === null} canOperate={canOperate} />
          ))}
        </TableBody>
      </Table>
      {alarms.length < data.matching && (
        <p className="border-t border-border px-3 py-2 text-sm text-muted-foreground">
          {alarms.length.toLocaleString()} of {data.matching.toLocaleString()} shown, critical first.
        </p>
      )}
    </div>
  );
}

function AlarmRow({ alarm, showObject, canOperate }: { alarm: TriggeredAlarm; showObject: boolean; canOperate: boolean }) {
  const queryClient = useQueryClient();
  // The live notice would refetch too, but a read already in flight could answer from before the write.
  const onSuccess = () => void queryClient.invalidateQueries({ queryKey: healthKeys.alarmsAll() });
  const acknowledge = useAction(acknowledgeAlarm, { onSuccess, onError: ({ error }) => toast.error(error.serverError?.message ?? "Could not acknowledge the alarm.") });
  const reset = useAction(resetAlarm, { onSuccess, onError: ({ error }) => toast.error(error.serverError?.message ?? "Could not reset the alarm.") });
  const target = { definitionId: alarm.definitionId, objectUid: alarm.objectUid };
  return (
    <TableRow className="h-10">
      <TableCell className="px-3">
        <AlarmStatusIcon status={alarm.status} />
      </TableCell>
      {showObject && (
        <TableCell className="px-3">
          <Link href={`/objects/${alarm.objectUid}/monitor?view=alarms`} className="inline-flex items-center gap-1.5 text-primary underline-offset-4 hover:underline">
            <KindIcon kind={alarm.objectKind} className="size-4 text-muted-foreground" />
            {alarm.objectNamespace ? `${alarm.objectNamespace}/${alarm.objectName}` : alarm.objectName}
          </Link>
        </TableCell>
      )}
      <TableCell className="px-3 font-medium">{alarm.definitionName}</TableCell>
      <TableCell className="max-w-0 px-3">
        <span className="block truncate text-muted-foreground" title={alarm.message}>
          {alarm.message}
        </span>
      </TableCell>
      <TableCell className="px-3 text-muted-foreground tabular-nums">
        <DateTime value={alarm.triggeredAt} />
      </TableCell>
      <TableCell className="px-3 text-muted-foreground">{alarm.acknowledgedBy ? `By ${alarm.acknowledgedBy}` : "No"}</TableCell>
      {canOperate && (
        <TableCell className="px-3">
          <div className="flex justify-end gap-1">
            <Button variant="outline" size="sm" disabled={Boolean(alarm.acknowledgedAt) || acknowledge.isPending} onClick={() => acknowledge.execute(target)}>
              Acknowledge
            </Button>
            <Button variant="outline" size="sm" disabled={reset.isPending} onClick={() => reset.execute(target)}>
              Reset to Green
            </Button>
          </div>
        </TableCell>
      )}
    </TableRow>
  );
}
