// A task's status as the vSphere Client shows it: queued, running with a progress bar, percentage
// and message, completed, or failed with the error in words.
import { CircleCheck, CircleX, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import type { TaskView } from "@/lib/inventory/task-reads";
import { cn } from "@/lib/utils";

export function TaskStateBadge({ state }: { state: TaskView["state"] }) {
  switch (state) {
    case "queued":
      return (
        <Badge variant="outline">
          <Clock aria-hidden /> Queued
        </Badge>
      );
    case "running":
      return <Badge variant="secondary">Running</Badge>;
    case "success":
      return (
        <Badge variant="success">
          <CircleCheck aria-hidden /> Completed
        </Badge>
      );
    case "error":
      return (
        <Badge variant="destructive">
          <CircleX aria-hidden /> Failed
        </Badge>
      );
  }
}

export function TaskProgressBar({ task, className }: { task: Pick<TaskView, "progress" | "description">; className?: string }) {
  return (
    <span
      role="progressbar"
      aria-valuenow={task.progress}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={`${task.description} progress`}
      className={cn("block h-1.5 overflow-hidden rounded-full bg-muted ring-1 ring-border ring-inset", className)}
    >
      <span className="block h-full rounded-full bg-primary transition-[width] duration-300" style={{ width: `${task.progress}%` }} />
    </span>
  );
}

/** One line for the Recent Tasks table; long messages and errors are cut and shown whole on hover. */
export function TaskStatusLine({ task }: { task: TaskView }) {
  if (task.state === "running") {
    return (
      <span className="flex min-w-0 items-center gap-2">
        <TaskProgressBar task={task} className="w-20 shrink-0" />
        <span className="shrink-0 text-xs tabular-nums">{task.progress} %</span>
        {task.progressMessage && <CutText text={task.progressMessage} className="text-muted-foreground" />}
      </span>
    );
  }
  if (task.state === "error") {
    return (
      <span className="flex min-w-0 items-center gap-2">
        <TaskStateBadge state="error" />
        {task.error && <CutText text={task.error} className="text-destructive" />}
      </span>
    );
  }
  return <TaskStateBadge state={task.state} />;
}

function CutText({ text, className }: { text: string; className: string }) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <span tabIndex={0} className={cn("min-w-0 truncate rounded-sm text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring", className)}>
          {text}
        </span>
      </TooltipTrigger>
      <TooltipContent side="top" className="max-w-md">
        {text}
      </TooltipContent>
    </Tooltip>
  );
}
