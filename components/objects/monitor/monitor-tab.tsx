"use client";
// The Monitor tab: Tasks and Events of this object in a left sub-navigation, as in the vSphere
// Client. The list and page are in the URL (`?view=events&page=3`); the server prefetched the
// first one shown.
import { useQuery } from "@tanstack/react-query";
import { monitorParams } from "@/components/objects/monitor/monitor-params";
import { ObjectEventsTable } from "@/components/objects/monitor/object-events-table";
import { ObjectTasksTable } from "@/components/objects/monitor/object-tasks-table";
import { SubNavigation, useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { KIND_NOUNS } from "@/components/objects/monitor/kind-nouns";
import { objectViewQuery } from "@/lib/queries/object-queries";

export function MonitorTab({ uid }: { uid: string }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const { data: object } = useQuery(objectViewQuery(uid));
  const { view, page } = monitorParams(searchParams);
  const noun = object ? KIND_NOUNS[object.kind] : "object";
  const onPage = (next: number) => navigate({ page: next === 1 ? null : String(next) });
  return (
    <div className="flex gap-6 p-6">
      <SubNavigation
        label="Monitor"
        param="view"
        resetParams={["page"]}
        current={view}
        groups={[{ title: "Tasks and Events", items: [{ id: "tasks", label: "Tasks" }, { id: "events", label: "Events" }] }]}
      />
      <section aria-labelledby="monitor-heading" className="min-w-0 flex-1 space-y-3">
        <h2 id="monitor-heading" className="text-base font-semibold">
          {view === "tasks" ? "Tasks" : "Events"}
        </h2>
        {view === "tasks" ? <ObjectTasksTable uid={uid} page={page} noun={noun} onPage={onPage} /> : <ObjectEventsTable uid={uid} page={page} noun={noun} onPage={onPage} />}
      </section>
    </div>
  );
}
