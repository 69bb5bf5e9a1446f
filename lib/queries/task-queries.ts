// Query keys and browser-side fetchers for tasks: the Recent Tasks pane and a task's page.
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { ActivityPage } from "@/lib/inventory/object-activity";
import type { TaskHistoryRow } from "@/lib/inventory/task-history";
import { taskHistorySearch, type TaskHistoryFilter } from "@/lib/inventory/task-history-filter";
import type { TaskDetail, TaskView } from "@/lib/inventory/task-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export type TaskScope = "mine" | "all";

export const taskKeys = {
  all: ["tasks"] as const,
  recent: (scope: TaskScope) => [...taskKeys.all, "recent", scope] as const,
  detail: (id: string) => [...taskKeys.all, "detail", id] as const,
  history: (filter: TaskHistoryFilter, page: number) => [...taskKeys.all, "history", filter, page] as const,
};

export const recentTasksQuery = (scope: TaskScope) =>
  queryOptions({
    queryKey: taskKeys.recent(scope),
    queryFn: async () => (await fetchJson<{ tasks: TaskView[] }>(`/api/tasks?scope=${scope}`)).tasks,
    meta: { live: [live.tasks()] },
  });

/** The Tasks view: a page of every task the user may see, as filtered. */
export const taskHistoryQuery = (filter: TaskHistoryFilter, page: number) =>
  queryOptions({
    queryKey: taskKeys.history(filter, page),
    queryFn: () => {
      const search = taskHistorySearch(filter);
      if (page > 1) search.set("page", String(page));
      return fetchJson<ActivityPage<TaskHistoryRow>>(`/api/tasks/history?${search}`);
    },
    placeholderData: keepPreviousData,
    meta: { live: [live.tasks()] },
  });

/** The target narrows which events matter: its own, or (once it is gone) those of its kind. */
export const taskDetailQuery = (id: string, target: { uid: string | null; kind: string }) =>
  queryOptions({
    queryKey: taskKeys.detail(id),
    queryFn: () => fetchJson<TaskDetail>(`/api/tasks/${id}`),
    meta: { live: [live.task(id), target.uid ? live.eventsOf(target.uid) : live.events(target.kind)] },
  });
