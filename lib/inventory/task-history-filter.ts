// The Tasks view's filters as URL search params (status, initiator, target), read the same way by
// the server and the browser: the view forgives a broken one, an export refuses it.
import { z } from "zod";

/** A task's status as the view names it, and the task states it stands for. */
export const TASK_STATUSES = {
  running: { label: "Running", states: ["queued", "running"] },
  completed: { label: "Completed", states: ["success"] },
  failed: { label: "Failed", states: ["error"] },
} as const;

export type TaskStatus = keyof typeof TASK_STATUSES;

const taskHistoryRules = {
  status: z.enum(Object.keys(TASK_STATUSES) as [TaskStatus, ...TaskStatus[]]),
  initiator: z.string().trim().min(1).max(100),
  target: z.string().trim().min(1).max(200),
};

export const TASK_FILTER_KEYS = ["status", "initiator", "target"] as const;

const taskHistoryFilterSchema = z.object({
  status: taskHistoryRules.status.optional().catch(undefined),
  initiator: taskHistoryRules.initiator.optional().catch(undefined),
  target: taskHistoryRules.target.optional().catch(undefined),
});

/** A Tasks export's params: the view's filters, each strictly. */
export const taskHistoryExportSchema = z.object(taskHistoryRules).partial();

export type TaskHistoryFilter = z.infer<typeof taskHistoryFilterSchema>;

/** The filters of a URL's search params; anything malformed is ignored rather than refused. */
export function taskHistoryFilterFrom(search: { get(name: string): string | null }): TaskHistoryFilter {
  return taskHistoryFilterSchema.parse(Object.fromEntries(TASK_FILTER_KEYS.map((key) => [key, search.get(key) || undefined])));
}

export function taskHistorySearch(filter: TaskHistoryFilter): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of TASK_FILTER_KEYS) if (filter[key]) search.set(key, filter[key]);
  return search;
}
