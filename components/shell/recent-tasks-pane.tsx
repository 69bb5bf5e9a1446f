"use client";
// The bottom Recent Tasks pane, resizable by its top edge and collapsible as in the vSphere Client,
// its height and state remembered per user: each task's name (a link to its page), target, status
// with progress or error, initiator and times; everyone's tasks or only mine. Live: the query
// refetches when the database reports task changes (lib/live).
import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronUp, ListChecks } from "lucide-react";
import Link from "next/link";
import { ToggleGroup } from "radix-ui";
import { useAction } from "next-safe-action/hooks";
import { useEffect, useRef, useState } from "react";
import { usePanelRef } from "react-resizable-panels";
import { TaskStatusLine } from "@/components/tasks/task-status";
import { clockTime, dateTime, queuedFor } from "@/components/tasks/task-times";
import { ResizableHandle, ResizablePanel } from "@/components/ui/resizable";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { setRecentTasksPane } from "@/lib/actions/preferences/set-recent-tasks-pane";
import type { RecentTasksPane as PaneSize } from "@/lib/preferences/user-preferences";
import { recentTasksQuery, type TaskScope } from "@/lib/queries/task-queries";

const COLUMNS = ["Task Name", "Target", "Status", "Initiator", "Queued For", "Start Time", "Completion Time"];

/** The pane's title bar: all that shows when it is collapsed. */
const TITLE_BAR_PX = 36;
const SAVE_AFTER_MS = 600;

/** Rendered inside the console's vertical panel group, below the page: its own resize handle and panel. */
export function RecentTasksPane({ initial }: { initial: PaneSize }) {
  const panel = usePanelRef();
  const [open, setOpen] = useState(!initial.collapsed);
  const remember = useRememberedPane(initial);
  const [scope, setScope] = useState<TaskScope>("all");
  const { data: tasks = [], isPending, isError } = useQuery({ ...recentTasksQuery(scope), enabled: open });
  const running = tasks.filter((task) => task.state === "running" || task.state === "queued").length;

  return (
    <>
    <ResizableHandle withHandle aria-label="Resize Recent Tasks" />
    <ResizablePanel
      id="recent-tasks"
      panelRef={panel}
      collapsible
      collapsedSize={TITLE_BAR_PX}
      minSize={120}
      maxSize="75%"
      defaultSize={initial.collapsed ? TITLE_BAR_PX : initial.height}
      onResize={(size) => {
        const collapsed = size.inPixels <= TITLE_BAR_PX + 1;
        setOpen(!collapsed);
        remember(collapsed ? { collapsed } : { collapsed, height: Math.round(size.inPixels) });
      }}
    >
    <section aria-label="Recent Tasks" className="flex h-full flex-col bg-surface">
      <div className="flex h-9 shrink-0 items-center gap-3 px-3">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          <ListChecks className="size-4 text-muted-foreground" aria-hidden /> Recent Tasks
        </h2>
        {running > 0 && <span className="text-xs text-muted-foreground tabular-nums">{running} in progress</span>}
        <div className="ml-auto flex items-center gap-2">
          {open && (
            <Link href="/tasks" className="px-1 text-xs text-primary underline-offset-4 hover:underline">
              More Tasks
            </Link>
          )}
          {open && (
            <ToggleGroup.Root
              type="single"
              value={scope}
              onValueChange={(value) => value && setScope(value as TaskScope)}
              aria-label="Which tasks"
              className="flex h-7 items-center rounded-md border border-border bg-muted p-0.5 text-xs"
            >
              {(["mine", "all"] as const).map((value) => (
                <ToggleGroup.Item
                  key={value}
                  value={value}
                  className="h-full rounded-[calc(var(--radius)-2px)] px-2.5 text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=on]:bg-surface data-[state=on]:font-medium data-[state=on]:text-foreground data-[state=on]:shadow-sm"
                >
                  {value === "mine" ? "My tasks" : "All tasks"}
                </ToggleGroup.Item>
              ))}
            </ToggleGroup.Root>
          )}
          <button
            type="button"
            onClick={() => (open ? panel.current?.collapse() : panel.current?.expand())}
            aria-expanded={open}
            aria-controls="recent-tasks-body"
            className="flex h-7 items-center gap-1 rounded-md px-2 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
          >
            {open ? <ChevronDown className="size-4" aria-hidden /> : <ChevronUp className="size-4" aria-hidden />}
            {open ? "Collapse" : "Expand"}
          </button>
        </div>
      </div>
      {open && (
        <div id="recent-tasks-body" className="min-h-0 flex-1 overflow-auto border-t border-border">
          <Table className="table-fixed">
            <colgroup>
              <col className="w-[23%]" />
              <col className="w-[14%]" />
              <col className="w-[22%]" />
              <col className="w-[9%]" />
              <col className="w-[9%]" />
              <col className="w-[11.5%]" />
              <col className="w-[11.5%]" />
            </colgroup>
            <TableHeader className="sticky top-0 z-10 bg-muted">
              <TableRow>
                {COLUMNS.map((column) => (
                  // A narrow console wraps a title onto two lines rather than cutting it off.
                  <TableHead key={column} className="h-auto py-1.5 leading-tight whitespace-normal">
                    {column}
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {tasks.length === 0 && (
                <TableRow>
                  <TableCell colSpan={COLUMNS.length} className="py-6 text-center whitespace-normal text-muted-foreground">
                    {isPending
                        ? "Loading tasks…"
                        : isError
                          ? "Recent tasks could not be loaded. They will appear when the server answers again."
                          : scope === "mine"
                            ? "You have not started any tasks yet. Operations you start will appear here as they run."
                            : "No tasks yet. Operations you and others start will appear here as they run."}
                  </TableCell>
                </TableRow>
              )}
              {tasks.map((task) => (
                <TableRow key={task.id}>
                  <TableCell className="font-medium">
                    <Link href={`/tasks/${task.id}`} className="block truncate hover:text-primary hover:underline" title={task.description}>
                      {task.description}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {task.targetUid ? (
                      <Link href={`/objects/${task.targetUid}`} className="block truncate text-primary hover:underline" title={`${task.targetKind} ${task.targetName}`}>
                        {task.targetName}
                      </Link>
                    ) : (
                      <span className="block truncate" title={`${task.targetKind} ${task.targetName} (no longer in the inventory)`}>
                        {task.targetName}
                      </span>
                    )}
                  </TableCell>
                  <TableCell>
                    <TaskStatusLine task={task} />
                  </TableCell>
                  <TableCell>
                    <span className="block truncate">{task.initiator}</span>
                  </TableCell>
                  <TableCell className="tabular-nums text-muted-foreground">{queuedFor(task)}</TableCell>
                  <TableCell className="tabular-nums text-muted-foreground" title={dateTime(task.startedAt)}>
                    {clockTime(task.startedAt)}
                  </TableCell>
                  <TableCell className="tabular-nums text-muted-foreground" title={dateTime(task.completedAt)}>
                    {clockTime(task.completedAt)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
    </ResizablePanel>
    </>
  );
}

/**
 * Saves the pane's height once the user stops dragging, and a collapse or expand at once (a click
 * the next navigation must not lose); a collapsed pane keeps the height it will expand to.
 */
function useRememberedPane(initial: PaneSize) {
  const { execute } = useAction(setRecentTasksPane);
  const saved = useRef(initial);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (change: { collapsed: boolean; height?: number }) => {
    const next = { height: change.height ?? saved.current.height, collapsed: change.collapsed };
    if (next.height === saved.current.height && next.collapsed === saved.current.collapsed) return;
    const toggled = next.collapsed !== saved.current.collapsed;
    saved.current = next;
    clearTimeout(timer.current);
    if (toggled) execute(next);
    else timer.current = setTimeout(() => execute(next), SAVE_AFTER_MS);
  };
}
