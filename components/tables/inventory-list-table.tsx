"use client";
// An inventory list (VMs, hosts, clusters, datastores, networks) as the vSphere Client shows it:
// a filter, server-side sorting and paging driven by the URL, a column chooser remembered per
// user, row selection with bulk actions, and a row count. A row's context menu is its object's
// Actions menu; a VM row drags onto a host, cluster or datastore in the navigator to migrate it.
// Live: the page refetches when objects of its kind change.
import { useQuery } from "@tanstack/react-query";
import {
  columnVisibilityFeature,
  flexRender,
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type RowSelectionState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, RotateCw, Search, X } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useObjectContextMenu } from "@/components/objects/actions/object-context-menu";
import { ListCell } from "@/components/tables/list-cells";
import { ColumnChooser } from "@/components/tables/column-chooser";
import { ExportCsvButton } from "@/components/tables/export-csv-button";
import { PaginationBar } from "@/components/tables/pagination-bar";
import { useListParams } from "@/components/tables/use-list-params";
import { VmBulkActions } from "@/components/tables/vm-bulk-actions";
import { TagFilterSelect } from "@/components/tags/tag-filter-select";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { vmDragSource } from "@/components/vms/vm-drop-migrate";
import { LIST_COLUMNS, type ListName, type ListRow } from "@/lib/inventory/list-definitions";
import { listExportHref } from "@/lib/inventory/list-export-params";
import { LIST_KINDS, listPageQuery } from "@/lib/queries/object-queries";
import { cn } from "@/lib/utils";

const NOUNS: Record<ListName, [singular: string, plural: string]> = {
  vms: ["virtual machine", "virtual machines"],
  hosts: ["host", "hosts"],
  clusters: ["cluster", "clusters"],
  datastores: ["datastore", "datastores"],
  networks: ["network", "networks"],
  pods: ["pod", "pods"],
  deployments: ["deployment", "deployments"],
  replicasets: ["ReplicaSet", "ReplicaSets"],
};

const ALL_POWER_STATES = "all";

const features = tableFeatures({ columnVisibilityFeature, rowSelectionFeature });
type ListColumn = ColumnDef<typeof features, ListRow>;
const NUMERIC_COLUMNS = new Set(Object.values(LIST_COLUMNS).flatMap((columns) => columns.filter((column) => column.numeric).map((column) => column.id)));

export interface InventoryListTableProps {
  list: ListName;
  scopeUid?: string;
  /** The user's saved column choice, or null for the list's defaults. */
  savedColumns: string[] | null;
  canOperate: boolean;
}

function initialVisibility(list: ListName, savedColumns: string[] | null): ColumnVisibilityState {
  return Object.fromEntries(
    LIST_COLUMNS[list].map((column) => [column.id, column.id === "name" || (savedColumns ? savedColumns.includes(column.id) : column.defaultVisible)]),
  );
}

export function InventoryListTable({ list, scopeUid, savedColumns, canOperate }: InventoryListTableProps) {
  const [params, update] = useListParams(list);
  const query = useQuery(listPageQuery(list, scopeUid, params));
  const [columnVisibility, setColumnVisibility] = useState(() => initialVisibility(list, savedColumns));
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [filterText, setFilterText] = useState(params.q);
  const selectable = list === "vms" && canOperate;
  const contextMenu = useObjectContextMenu();

  // The filter follows typing after a pause, replacing the history entry rather than adding one per key.
  useEffect(() => {
    if (filterText.trim() === params.q) return;
    const timer = setTimeout(() => update({ q: filterText.trim(), page: 1 }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [filterText, params.q, update]);
  // Back and Forward change the URL under the input; follow them.
  const [urlFilter, setUrlFilter] = useState(params.q);
  if (urlFilter !== params.q) {
    setUrlFilter(params.q);
    setFilterText(params.q);
  }

  const columns = useMemo<ListColumn[]>(
    () => [
      ...(selectable
        ? [
            {
              id: "select",
              enableHiding: false,
              header: ({ table }) => (
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  className="size-4 accent-primary"
                  checked={table.getIsAllPageRowsSelected()}
                  ref={(element) => {
                    if (element) element.indeterminate = table.getIsSomePageRowsSelected();
                  }}
                  onChange={table.getToggleAllPageRowsSelectedHandler()}
                />
              ),
              cell: ({ row }) => (
                <input
                  type="checkbox"
                  aria-label={`Select ${row.original.name}`}
                  className="size-4 accent-primary"
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
              ),
            } satisfies ListColumn,
          ]
        : []),
      ...LIST_COLUMNS[list].map(
        (definition): ListColumn => ({
          id: definition.id,
          header: definition.label,
          enableHiding: definition.id !== "name",
          cell: ({ row }) => <ListCell list={list} column={definition.id} row={row.original} />,
        }),
      ),
    ],
    [list, selectable],
  );

  const data = query.data;
  const rows = useMemo(() => data?.rows ?? [], [data]);
  const table = useTable({
    features,
    data: rows,
    columns,
    getRowId: (row) => row.uid,
    state: { columnVisibility, rowSelection },
    onColumnVisibilityChange: setColumnVisibility,
    onRowSelectionChange: setRowSelection,
    enableRowSelection: selectable,
  });

  const sortableColumns = new Set(LIST_COLUMNS[list].filter((column) => column.sortable).map((column) => column.id));
  const selectedUids = Object.keys(rowSelection).filter((uid) => rowSelection[uid]);
  const [singular, plural] = NOUNS[list];
  const filtered = params.q !== "" || params.power !== undefined || params.namespace !== undefined || params.tag !== undefined;
  const clearFilters = () => {
    setFilterText("");
    update({ q: "", power: undefined, namespace: undefined, tag: undefined, page: 1 });
  };
  const sortBy = (column: string) =>
    update({ sort: column, dir: params.sort === column && params.dir === "asc" ? "desc" : "asc", page: 1 });

  return (
    <section aria-label={`${plural[0]!.toUpperCase()}${plural.slice(1)}`} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <div className="relative w-full max-w-xs">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
          <Input
            aria-label={`Filter ${plural}`}
            placeholder={list === "vms" ? "Filter by name or IP address" : "Filter by name"}
            value={filterText}
            onChange={(event) => setFilterText(event.target.value)}
            className="pl-8"
          />
        </div>
        {list === "vms" && (
          <Select value={params.power ?? ALL_POWER_STATES} onValueChange={(value) => update({ power: value === ALL_POWER_STATES ? undefined : (value as typeof params.power), page: 1 })}>
            <SelectTrigger aria-label="Power state" className="w-40">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL_POWER_STATES}>All power states</SelectItem>
              <SelectItem value="PoweredOn">Powered On</SelectItem>
              <SelectItem value="PoweredOff">Powered Off</SelectItem>
              <SelectItem value="Suspended">Suspended</SelectItem>
            </SelectContent>
          </Select>
        )}
        <TagFilterSelect kind={LIST_KINDS[list]} value={params.tag} onChange={(tag) => update({ tag, page: 1 })} />
        {params.namespace && (
          <Button variant="outline" size="sm" onClick={() => update({ namespace: undefined, page: 1 })}>
            Namespace: {params.namespace}
            <X aria-label="Remove namespace filter" />
          </Button>
        )}
        {selectable && selectedUids.length > 0 && <VmBulkActions uids={selectedUids} onDone={() => setRowSelection({})} />}
        <div className="ml-auto flex items-center gap-2">
          {query.isFetching && <RotateCw className="size-4 animate-spin text-muted-foreground" aria-label="Refreshing" />}
          <ColumnChooser list={list} visibility={columnVisibility} onChange={setColumnVisibility} />
          <ExportCsvButton href={listExportHref(list, params, LIST_COLUMNS[list].filter((column) => columnVisibility[column.id]).map((column) => column.id), scopeUid)} total={data?.total} />
        </div>
      </div>

      {query.isError && !data ? (
        <Alert variant="destructive">
          <AlertTitle>The {plural} could not be loaded</AlertTitle>
          <AlertDescription className="flex items-center gap-3">
            {query.error.message}
            <Button variant="outline" size="sm" onClick={() => void query.refetch()}>
              Retry
            </Button>
          </AlertDescription>
        </Alert>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-surface">
          <Table>
            <TableHeader>
              {table.getHeaderGroups().map((group) => (
                <TableRow key={group.id}>
                  {group.headers.map((header) => {
                    const sortable = sortableColumns.has(header.id);
                    const sorted = params.sort === header.id ? params.dir : null;
                    const numeric = NUMERIC_COLUMNS.has(header.id);
                    return (
                      <TableHead
                        key={header.id}
                        aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                        className={cn(header.id === "select" && "w-10", numeric && "text-right")}
                      >
                        {sortable ? (
                          <button
                            type="button"
                            onClick={() => sortBy(header.id)}
                            className={cn("inline-flex items-center gap-1 hover:text-foreground", numeric && "flex-row-reverse", sorted && "text-foreground")}
                          >
                            {flexRender(header.column.columnDef.header, header.getContext())}
                            {sorted === "asc" ? <ArrowUp className="size-3.5" aria-hidden /> : sorted === "desc" ? <ArrowDown className="size-3.5" aria-hidden /> : <ArrowUpDown className="size-3.5 opacity-40" aria-hidden />}
                          </button>
                        ) : (
                          flexRender(header.column.columnDef.header, header.getContext())
                        )}
                      </TableHead>
                    );
                  })}
                </TableRow>
              ))}
            </TableHeader>
            <TableBody>
              {!data &&
                Array.from({ length: 8 }, (_, index) => (
                  <TableRow key={index}>
                    {table.getVisibleLeafColumns().map((column) => (
                      <TableCell key={column.id}>
                        <Skeleton className="h-4 w-full max-w-32" />
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              {data && data.rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={table.getVisibleLeafColumns().length} className="h-32 text-center">
                    {filtered ? (
                      <div className="space-y-2">
                        <p>No {plural} match these filters.</p>
                        <Button variant="outline" size="sm" onClick={clearFilters}>
                          Clear filters
                        </Button>
                      </div>
                    ) : data.total > 0 ? (
                      <div className="space-y-2">
                        <p>This page is past the last {singular}.</p>
                        <Button variant="outline" size="sm" onClick={() => update({ page: 1 })}>
                          Go to the first page
                        </Button>
                      </div>
                    ) : (
                      <p className="text-muted-foreground">There are no {plural} here.</p>
                    )}
                  </TableCell>
                </TableRow>
              )}
              {table.getRowModel().rows.map((row) => (
                <TableRow
                  key={row.id}
                  data-state={row.getIsSelected() ? "selected" : undefined}
                  {...contextMenu(row.original.uid)}
                  {...(list === "vms" && vmDragSource(row.original.uid, row.original.name))}
                >
                  {row.getVisibleCells().map((cell) => {
                    const numeric = NUMERIC_COLUMNS.has(cell.column.id);
                    return (
                      <TableCell key={cell.id} className={cn("whitespace-nowrap", numeric && "text-right tabular-nums")}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      {data && (
        <PaginationBar
          page={params.page}
          size={params.size}
          total={data.total}
          noun={data.total === 1 ? singular : plural}
          selected={selectedUids.length}
          onPage={(page) => update({ page })}
          onSize={(size) => update({ size, page: 1 })}
        />
      )}
    </section>
  );
}
