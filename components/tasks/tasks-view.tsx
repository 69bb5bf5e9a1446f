"use client";
// The Tasks view: every task the user may see, newest first, live, with its target; status applies
// at once, initiator and target name with Apply (or Enter). Everything lives in the URL, so a
// filtered view has a link, and Export downloads what the filter keeps.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ActivityTable, type ActivityColumn } from "@/components/objects/monitor/activity-table";
import { KindIcon } from "@/components/objects/kind-icon";
import { TASK_COLUMNS } from "@/components/objects/monitor/object-tasks-table";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { ExportCsvButton } from "@/components/tables/export-csv-button";
import { FilterBar, FilterField } from "@/components/tables/filter-bar";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Input } from "@/components/ui/input";
import { pageOrFirst } from "@/lib/http/page-param";
import type { TaskHistoryRow } from "@/lib/inventory/task-history";
import { TASK_FILTER_KEYS, TASK_STATUSES, taskHistoryFilterFrom, taskHistorySearch, type TaskHistoryFilter } from "@/lib/inventory/task-history-filter";
import { taskHistoryQuery } from "@/lib/queries/task-queries";

const ANY = "any";
const STATUS_CHOICES = [{ value: ANY, label: "All statuses" }, ...Object.entries(TASK_STATUSES).map(([value, { label }]) => ({ value, label }))];

const TARGET: ActivityColumn<TaskHistoryRow> = {
  header: "Target",
  cell: (task) => (
    <span className="inline-flex items-center gap-1.5">
      <KindIcon kind={task.targetKind} className="size-4 text-muted-foreground" />
      {task.targetUid ? (
        <Link href={`/objects/${task.targetUid}`} className="text-primary underline-offset-4 hover:underline">
          {task.targetName}
        </Link>
      ) : (
        <span title="No longer exists">{task.targetName}</span>
      )}
    </span>
  ),
};

const COLUMNS: ActivityColumn<TaskHistoryRow>[] = [TASK_COLUMNS.name, TARGET, TASK_COLUMNS.status, TASK_COLUMNS.initiator, TASK_COLUMNS.queued, TASK_COLUMNS.completed];

function TaskFilters({ filter, onChange, total }: { filter: TaskHistoryFilter; onChange: (changes: Record<string, string | null>) => void; total: number | undefined }) {
  const [text, setText] = useState({ initiator: filter.initiator ?? "", target: filter.target ?? "" });
  const active = TASK_FILTER_KEYS.some((key) => filter[key]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onChange({ initiator: text.initiator.trim() || null, target: text.target.trim() || null });
  };
  const clear = () => {
    setText({ initiator: "", target: "" });
    onChange(Object.fromEntries(TASK_FILTER_KEYS.map((key) => [key, null])));
  };
  return (
    <FilterBar label="Filter tasks" onApply={apply} active={active} onClear={clear} actions={<ExportCsvButton href={`/api/tasks/export?${taskHistorySearch(filter)}`} total={total} />}>
      <FilterField id="task-status" label="Status">
        <ChoiceSelect id="task-status" size="sm" className="w-36" value={filter.status ?? ANY} onValueChange={(value) => onChange({ status: value === ANY ? null : value })} choices={STATUS_CHOICES} />
      </FilterField>
      <FilterField id="task-target" label="Target name contains">
        <Input id="task-target" className="h-8 w-44" value={text.target} onChange={(event) => setText({ ...text, target: event.target.value })} />
      </FilterField>
      <FilterField id="task-initiator" label="Initiator">
        <Input id="task-initiator" className="h-8 w-32" value={text.initiator} onChange={(event) => setText({ ...text, initiator: event.target.value })} />
      </FilterField>
    </FilterBar>
  );
}

export function TasksView() {
  const { searchParams, navigate } = useSearchParamNavigation();
  const filter = taskHistoryFilterFrom(searchParams);
  const page = pageOrFirst(searchParams.get("page"));
  const query = useQuery(taskHistoryQuery(filter, page));
  const filtered = TASK_FILTER_KEYS.some((key) => filter[key]);
  return (
    <div className="space-y-3">
      <TaskFilters key={searchParams.toString()} filter={filter} total={query.data?.total} onChange={(changes) => navigate({ ...changes, page: null })} />
      <ActivityTable
        label="Tasks"
        columns={COLUMNS}
        query={query}
        rowKey={(task) => task.id}
        empty={filtered ? "No tasks match these filters." : "No tasks have run yet."}
        onPage={(next) => navigate({ page: next === 1 ? null : String(next) })}
      />
    </div>
  );
}
