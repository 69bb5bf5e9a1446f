// Query keys and browser-side fetchers for tasks: the Recent Tasks pane and a task's page.
import { queryOptions } from "@tanstack/react-query";
import type { TaskDetail, TaskView } from "@/lib/inventory/task-reads";
import { live } from "@/lib/live/live-dependencies";
import { fetchJson } from "@/lib/queries/inventory-queries";

export type TaskScope = "mine" | "all";

export const taskKeys = {
  all: ["tasks"] as const,
  recent: (scope: TaskScope) => [...taskKeys.all, "recent", scope] as const,
  detail: (id: string) => [...taskKeys.all, "detail", id] as const,
};

export const recentTasksQuery = (scope: TaskScope) =>
  queryOptions({
    queryKey: taskKeys.recent(scope),
    queryFn: async () => (await fetchJson<{ tasks: TaskView[] }>(`/api/tasks?scope=${scope}`)).tasks,
    meta: { live: [live.tasks()] },
  });

/** The target narrows which events matter: its own, or (once it is gone) those of its kind. */
export const taskDetailQuery = (id: string, target: { uid: string | null; kind: string }) =>
  queryOptions({
    queryKey: taskKeys.detail(id),
    queryFn: () => fetchJson<TaskDetail>(`/api/tasks/${id}`),
    meta: { live: [live.task(id), target.uid ? live.eventsOf(target.uid) : live.events(target.kind)] },
  });
