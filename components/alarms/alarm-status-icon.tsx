// An alarm's status as an icon and a word: red is Critical, yellow is Warning, as in the vSphere Client.
import { AlertTriangle, CircleX } from "lucide-react";
import { ALARM_STATUS_LABELS } from "@/lib/alarms/alarm-metrics";

export function AlarmStatusIcon({ status, withLabel = true }: { status: "yellow" | "red"; withLabel?: boolean }) {
  const Icon = status === "red" ? CircleX : AlertTriangle;
  return (
    <span className="inline-flex items-center gap-1.5">
      <Icon className={`size-4 shrink-0 ${status === "red" ? "text-destructive" : "text-warning"}`} aria-hidden={withLabel} aria-label={withLabel ? undefined : ALARM_STATUS_LABELS[status]} />
      {withLabel && ALARM_STATUS_LABELS[status]}
    </span>
  );
}
