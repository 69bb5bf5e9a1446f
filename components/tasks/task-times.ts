// How task times read in the console: clock times in the pane, full dates on hover and on the
// task's page, and durations that stay short ("480 ms", "2.4 s", "3 min 5 s").
import type { TaskView } from "@/lib/inventory/task-reads";

export const clockTime = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString("en-US", { hour12: false }) : "—");

export const dateTime = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium", hour12: false }) : "—";

export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** Time spent waiting before work began; still counting for a queued task. */
export function queuedFor(task: Pick<TaskView, "queuedAt" | "startedAt">, now = Date.now()): string {
  const end = task.startedAt ? new Date(task.startedAt).getTime() : now;
  return duration(end - new Date(task.queuedAt).getTime());
}
