"use client";
// A paged table of an object's tasks or events with its designed states: skeleton rows the
// height of real ones while the first page loads, an error with Retry, an empty message, and a
// footer with the row count and Previous/Next.
import type { UseQueryResult } from "@tanstack/react-query";
import { AlertTriangle, ChevronLeft, ChevronRight, RotateCw } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActivityPage } from "@/lib/inventory/object-activity";
import { formatCount } from "@/components/objects/summary/summary-parts";
import { cn } from "@/lib/utils";

export interface ActivityColumn<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  className?: string;
}

interface ActivityTableProps<Row> {
  label: string;
  columns: ActivityColumn<Row>[];
  query: UseQueryResult<ActivityPage<Row>>;
  rowKey: (row: Row) => string;
  empty: string;
  onPage: (page: number) => void;
}

const ROW = "h-10";
const SKELETON_ROWS = 8;

export function ActivityTable<Row>({ label, columns, query, rowKey, empty, onPage }: ActivityTableProps<Row>) {
  const { data, isError, isFetching, isPlaceholderData } = query;
  const status = !data ? (isError ? "error" : "loading") : data.rows.length === 0 ? (data.total === 0 ? "empty" : "past-end") : "rows";
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface">
      <Table aria-label={label} aria-busy={isFetching || undefined} className={cn(isPlaceholderData && "opacity-60 transition-opacity")}>
        <TableHeader>
          <TableRow>
            {columns.map((column) => (
              <TableHead key={column.header} className={cn("px-3", column.className)}>
                {column.header}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {status === "loading" &&
            Array.from({ length: SKELETON_ROWS }, (_, index) => (
              <TableRow key={index} className={ROW}>
                {columns.map((column) => (
                  <TableCell key={column.header} className="px-3">
                    <Skeleton className="h-4 w-full max-w-40" />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          {status === "rows" &&
            data!.rows.map((row) => (
              <TableRow key={rowKey(row)} className={ROW}>
                {columns.map((column) => (
                  <TableCell key={column.header} className={cn("px-3", column.className)}>
                    {column.cell(row)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          {(status === "empty" || status === "past-end" || status === "error") && (
            <TableRow className="hover:bg-transparent">
              <TableCell colSpan={columns.length} className="h-40 text-center whitespace-normal">
                {status === "empty" && <p className="text-muted-foreground">{empty}</p>}
                {status === "past-end" && (
                  <p className="text-muted-foreground">
                    This page is past the last one.{" "}
                    <Button variant="link" className="h-auto p-0" onClick={() => onPage(1)}>
                      Go to the first page
                    </Button>
                  </p>
                )}
                {status === "error" && (
                  <div role="alert" className="flex flex-col items-center gap-3">
                    <p className="flex items-center gap-2 text-destructive">
                      <AlertTriangle className="size-4" aria-hidden /> This list could not be loaded.
                    </p>
                    <Button variant="outline" size="sm" onClick={() => void query.refetch()}>
                      <RotateCw aria-hidden /> Retry
                    </Button>
                  </div>
                )}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
      <ActivityFooter data={data} onPage={onPage} />
    </div>
  );
}

function ActivityFooter<Row>({ data, onPage }: { data: ActivityPage<Row> | undefined; onPage: (page: number) => void }) {
  const pages = data ? Math.max(1, Math.ceil(data.total / data.size)) : 1;
  const first = data && data.rows.length > 0 ? (data.page - 1) * data.size + 1 : 0;
  const last = data ? first + data.rows.length - Math.min(1, data.rows.length) : 0;
  return (
    <div className="flex h-11 items-center justify-between gap-4 border-t border-border px-3 text-sm">
      <div className="text-muted-foreground tabular-nums" aria-live="polite">
        {!data ? <Skeleton className="h-4 w-28" /> : data.rows.length > 0 ? `${formatCount(first)}–${formatCount(last)} of ${formatCount(data.total)}` : `${formatCount(data.total)} in all`}
      </div>
      <div className="flex items-center gap-2">
        <span className="text-muted-foreground tabular-nums">
          Page {data?.page ?? 1} of {formatCount(pages)}
        </span>
        <Button variant="outline" size="icon-sm" aria-label="Previous page" disabled={!data || data.page <= 1} onClick={() => onPage(data!.page - 1)}>
          <ChevronLeft aria-hidden />
        </Button>
        <Button variant="outline" size="icon-sm" aria-label="Next page" disabled={!data || data.page >= pages} onClick={() => onPage(data!.page + 1)}>
          <ChevronRight aria-hidden />
        </Button>
      </div>
    </div>
  );
}
