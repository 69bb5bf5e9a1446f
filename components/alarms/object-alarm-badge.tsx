"use client";
// The object header's alarm summary: how many critical and warning alarms are triggered on it,
// linking to Monitor › Issues and Alarms. Nothing when it is all green.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AlarmStatusIcon } from "@/components/alarms/alarm-status-icon";
import { triggeredAlarmsQuery } from "@/lib/queries/health-queries";

export function ObjectAlarmBadge({ uid }: { uid: string }) {
  const { data } = useQuery(triggeredAlarmsQuery(uid));
  if (!data || data.critical + data.warning === 0) return null;
  const status = data.critical > 0 ? "red" : "yellow";
  const parts = [data.critical && `${data.critical} critical`, data.warning && `${data.warning} warning`].filter(Boolean).join(", ");
  return (
    <Link
      href={`/objects/${uid}/monitor?view=alarms`}
      className="inline-flex items-center gap-1 rounded-sm border border-border px-1.5 py-0.5 text-xs font-medium hover:bg-accent"
    >
      <AlarmStatusIcon status={status} withLabel={false} />
      {parts} {data.critical + data.warning === 1 ? "alarm" : "alarms"}
    </Link>
  );
}
