// The contract between PostgreSQL's change notices and the browser's query cache. The database
// triggers (migration inventory_live_and_search) send a ChangeNotice on every committed statement
// that changes objects, tasks or events; each react-query query names, in `meta.live`, the
// changes it depends on, and the browser refetches exactly the queries a notice touches. Alarm
// states notify like objects (migration health); the engine's leader sends one "metrics" notice
// per performance sample round (lib/engine/metrics-collector.ts), never one per sample. A VM on a
// real host notifies as "machines", under the VM's uid, when its agent reports a new serial
// console line or guest address (migration agent_machine_console_notices).
export type ChangeSource = "resources" | "tasks" | "events" | "alarms" | "metrics" | "machines";

export interface ChangeNotice {
  source: ChangeSource;
  /** Kinds of the changed objects (for tasks and events: of their target objects). */
  kinds: string[];
  /** Uids of the changed objects, or null when one statement changed too many to list. */
  uids: string[] | null;
  /** Task ids, for task notices that list them. */
  ids?: string[] | null;
  count: number;
}

/** One thing a query depends on: every change from `source`, narrowed by kind, object uid or task id. */
export interface LiveDependency {
  source: ChangeSource;
  kind?: string;
  uid?: string;
  id?: string;
}

export function noticeTouches(notice: ChangeNotice, dependency: LiveDependency): boolean {
  if (notice.source !== dependency.source) return false;
  if (dependency.kind !== undefined && !notice.kinds.includes(dependency.kind)) return false;
  if (dependency.uid !== undefined && notice.uids !== null && !notice.uids.includes(dependency.uid)) return false;
  if (dependency.id !== undefined && notice.ids != null && !notice.ids.includes(dependency.id)) return false;
  return true;
}

export const live = {
  objects: (kind?: string): LiveDependency => ({ source: "resources", kind }),
  object: (uid: string, kind?: string): LiveDependency => ({ source: "resources", kind, uid }),
  tasks: (kind?: string): LiveDependency => ({ source: "tasks", kind }),
  tasksOf: (uid: string): LiveDependency => ({ source: "tasks", uid }),
  task: (id: string): LiveDependency => ({ source: "tasks", id }),
  events: (kind?: string): LiveDependency => ({ source: "events", kind }),
  eventsOf: (uid: string): LiveDependency => ({ source: "events", uid }),
  alarms: (): LiveDependency => ({ source: "alarms" }),
  alarmsOf: (uid: string): LiveDependency => ({ source: "alarms", uid }),
  metrics: (): LiveDependency => ({ source: "metrics" }),
  machineOf: (uid: string): LiveDependency => ({ source: "machines", uid }),
};

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: { live?: LiveDependency[] };
  }
}
