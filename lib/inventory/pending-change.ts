// Says in words where an object's observed state differs from its desired state, and why, so a
// page can show "Powering on — 40 %" or "Entering maintenance mode: 3 of 9 VMs migrated" beside
// the condition that explains a wait.
import type { ObjectView } from "@/lib/inventory/object-view";
import type { PowerOpMode, PowerState } from "@/lib/provider/provider";
import { powerIntentFor, progressLabel } from "@/lib/vocabulary/vm-intents";

export interface ObjectCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PendingChange {
  headline: string;
  /** 0–100 when the change reports progress. */
  progress: number | null;
  /** The condition that explains a wait or a failure, when one does. */
  condition: ObjectCondition | null;
  taskId: string | null;
  tone: "progress" | "warning";
}

type PendingSource = Pick<ObjectView, "kind" | "generation" | "spec" | "status" | "deletionTimestamp" | "finalizers" | "activeTask">;

function failingCondition(status: Record<string, unknown>): ObjectCondition | null {
  const conditions = (status.conditions as ObjectCondition[] | undefined) ?? [];
  return conditions.find((condition) => condition.status === "False" && condition.type !== "Ready") ?? conditions.find((condition) => condition.status === "False") ?? null;
}

export function describePendingChange(object: PendingSource): PendingChange | null {
  const { spec, status, activeTask } = object;
  const condition = failingCondition(status);
  const maintenance = status.maintenance as { state: string; total: number; remaining: number; message: string } | null | undefined;

  if (object.deletionTimestamp) {
    const waitingFor = object.finalizers.length > 0 ? ` — waiting for ${object.finalizers.join(", ")}` : "";
    return { headline: `Being deleted${waitingFor}`, progress: activeTask?.progress ?? null, condition, taskId: activeTask?.id ?? null, tone: "progress" };
  }
  if (object.kind === "Host" && maintenance) {
    const migrated = maintenance.total - maintenance.remaining;
    return maintenance.state === "Blocked"
      ? { headline: `Entering maintenance mode is blocked: ${maintenance.message}`, progress: null, condition, taskId: activeTask?.id ?? null, tone: "warning" }
      : {
          headline: `Entering maintenance mode: ${migrated} of ${maintenance.total} VMs migrated`,
          progress: maintenance.total > 0 ? Math.round((migrated / maintenance.total) * 100) : null,
          condition,
          taskId: activeTask?.id ?? null,
          tone: "progress",
        };
  }
  if (activeTask) {
    const headline = activeTask.progressMessage ?? (activeTask.state === "queued" ? `${activeTask.description} — queued` : activeTask.description);
    const waiting = condition !== null && activeTask.progress === 0;
    return { headline, progress: activeTask.progress, condition, taskId: activeTask.id, tone: waiting ? "warning" : "progress" };
  }
  // A VM folder is desired state alone: no controller observes it, so nothing is ever pending.
  if (object.kind === "Folder") return null;
  // A pod has no observedGeneration (kube 1.32): what it waits for is a host, as PodScheduled says.
  if (object.kind === "Pod") {
    const unscheduled = ((status.conditions as ObjectCondition[] | undefined) ?? []).find((entry) => entry.type === "PodScheduled" && entry.status === "False");
    return unscheduled ? { headline: "Waiting for a host to run it", progress: null, condition: unscheduled, taskId: null, tone: "warning" } : null;
  }
  const observedGeneration = Number(status.observedGeneration ?? 0);
  if (object.kind === "VirtualMachine" && typeof spec.powerState === "string" && status.powerState && spec.powerState !== status.powerState) {
    const headline = progressLabel(powerIntentFor(spec.powerState as PowerState, spec.powerOffMode as PowerOpMode | undefined));
    return { headline, progress: null, condition, taskId: null, tone: condition ? "warning" : "progress" };
  }
  if (observedGeneration < object.generation) {
    return { headline: "Applying the latest changes", progress: null, condition, taskId: null, tone: condition ? "warning" : "progress" };
  }
  return null;
}
