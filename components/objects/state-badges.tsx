// Badges that say an object's state in words with a colour an operator reads at a glance:
// power state, host connection and maintenance, cluster health, and Ready.
import { AlertTriangle, CircleCheck, CirclePause, CirclePower, CircleX, LoaderCircle, Wrench } from "lucide-react";
import { Badge } from "@/components/ui/badge";

const POWER: Record<string, { label: string; variant: "success" | "secondary" | "warning" }> = {
  PoweredOn: { label: "Powered On", variant: "success" },
  PoweredOff: { label: "Powered Off", variant: "secondary" },
  Suspended: { label: "Suspended", variant: "warning" },
};

export function PowerStateBadge({ state }: { state: string | null | undefined }) {
  if (!state) return <Badge variant="outline">Not created yet</Badge>;
  const power = POWER[state] ?? { label: state, variant: "secondary" as const };
  return (
    <Badge variant={power.variant}>
      {state === "Suspended" ? <CirclePause /> : <CirclePower />}
      {power.label}
    </Badge>
  );
}

export const HOST_STATE_LABELS: Record<string, string> = {
  connected: "Connected",
  disconnected: "Disconnected",
  notResponding: "Not Responding",
  maintenance: "Maintenance Mode",
};

export function HostStateBadge({ state }: { state: string | null | undefined }) {
  const key = state ?? "disconnected";
  const label = HOST_STATE_LABELS[key] ?? key;
  if (key === "connected") return <Badge variant="success"><CircleCheck />{label}</Badge>;
  if (key === "maintenance") return <Badge variant="warning"><Wrench />{label}</Badge>;
  return <Badge variant="destructive"><CircleX />{label}</Badge>;
}

export function hostState(status: Record<string, unknown>): string {
  return status.inMaintenanceMode === true ? "maintenance" : String(status.connectionState ?? "disconnected");
}

const HEALTH_LABELS: Record<string, string> = { green: "Healthy", yellow: "Warning", red: "Alert" };

export function HealthBadge({ health }: { health: string | null | undefined }) {
  const key = health ?? "green";
  if (key === "green") return <Badge variant="success"><CircleCheck />{HEALTH_LABELS[key]}</Badge>;
  if (key === "yellow") return <Badge variant="warning"><AlertTriangle />{HEALTH_LABELS[key]}</Badge>;
  return <Badge variant="destructive"><CircleX />{HEALTH_LABELS[key] ?? key}</Badge>;
}

/**
 * An object's Ready condition as vSphere's overall status: Normal, Warning or Unknown; a VM's also
 * Creating and In Progress (lib/inventory/vm-overall-status.ts).
 */
export function ReadyBadge({ ready }: { ready: string | null | undefined }) {
  if (ready === "True") return <Badge variant="success"><CircleCheck />Normal</Badge>;
  if (ready === "False") return <Badge variant="warning"><AlertTriangle />Warning</Badge>;
  if (ready === "Creating") return <Badge variant="outline"><LoaderCircle />Creating</Badge>;
  if (ready === "InProgress") return <Badge variant="outline"><LoaderCircle />In Progress</Badge>;
  return <Badge variant="outline">Unknown</Badge>;
}

// kubectl's pod STATUS words: Running and Completed are fine, waiting ones amber, failures red.
const POD_STATUS_GOOD = new Set(["Running", "Completed", "Succeeded"]);
const POD_STATUS_WAITING = new Set(["Pending", "ContainerCreating", "PodInitializing", "Terminating", "NotReady"]);

/** A pod's STATUS as kubectl prints it (Running, ContainerCreating, CrashLoopBackOff, OOMKilled…). */
export function PodStatusBadge({ status }: { status: string | null | undefined }) {
  const text = status || "Pending";
  if (POD_STATUS_GOOD.has(text)) return <Badge variant="success"><CircleCheck />{text}</Badge>;
  if (POD_STATUS_WAITING.has(text)) return <Badge variant="warning"><CirclePause />{text}</Badge>;
  return <Badge variant="destructive"><CircleX />{text}</Badge>;
}
