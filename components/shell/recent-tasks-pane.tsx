"use client";
// The bottom Recent Tasks pane, collapsible as in the vSphere Client. Tasks are created by the
// engine's operations; until one has run, the pane says so.
import { ChevronDown, ChevronUp, ListChecks } from "lucide-react";
import { useState } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

const COLUMNS = ["Task Name", "Target", "Status", "Initiator", "Queued For", "Start Time", "Completion Time"];

export function RecentTasksPane() {
  const [open, setOpen] = useState(true);
  return (
    <section aria-label="Recent Tasks" className="flex flex-col border-t border-border bg-surface">
      <div className="flex h-9 shrink-0 items-center justify-between px-3">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          <ListChecks className="size-4 text-muted-foreground" aria-hidden /> Recent Tasks
        </h2>
        <button
          type="button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          aria-controls="recent-tasks-body"
          className="flex h-7 items-center gap-1 rounded-md px-2 text-xs text-muted-foreground hover:bg-muted hover:text-foreground"
        >
          {open ? <ChevronDown className="size-4" aria-hidden /> : <ChevronUp className="size-4" aria-hidden />}
          {open ? "Collapse" : "Expand"}
        </button>
      </div>
      {open && (
        <div id="recent-tasks-body" className="h-40 overflow-auto border-t border-border">
          <Table>
            <TableHeader>
              <TableRow>
                {COLUMNS.map((column) => (
                  <TableHead key={column}>{column}</TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              <TableRow>
                <TableCell colSpan={COLUMNS.length} className="py-6 text-center text-muted-foreground">
                  No tasks yet. Operations you and others start will appear here as they run.
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
