"use client";
// The header's alarm indicator: how many alarms are triggered where the user may see, critical and
// warning, live; it opens Triggered Alarms.
import { useQuery } from "@tanstack/react-query";
import { BellRing } from "lucide-react";
import Link from "next/link";
import { alarmCountsQuery } from "@/lib/queries/health-queries";

export function AlarmIndicator() {
  const { data } = useQuery(alarmCountsQuery());
  const label = data ? `Triggered alarms: ${data.critical} critical, ${data.warning} warning` : "Triggered alarms";
  return (
    <Link
      href="/alarms"
      aria-label={label}
      title={label}
      className="flex h-8 items-center gap-1.5 rounded-md px-2 text-sm text-header-foreground hover:bg-header-muted focus-visible:outline-2 focus-visible:outline-header-foreground"
    >
      <BellRing className="size-4" aria-hidden />
      {data && data.critical > 0 && <Count className="bg-destructive text-destructive-foreground">{data.critical}</Count>}
      {data && data.warning > 0 && <Count className="bg-amber-400 text-amber-950">{data.warning}</Count>}
    </Link>
  );
}

function Count({ className, children }: { className: string; children: number }) {
  return (
    <span aria-hidden className={`min-w-5 rounded-full px-1.5 text-center text-xs leading-5 font-semibold tabular-nums ${className}`}>
      {children > 999 ? "999+" : children}
    </span>
  );
}
