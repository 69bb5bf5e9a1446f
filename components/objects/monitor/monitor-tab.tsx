"use client";
// The Monitor tab: Tasks and Events of this object in a left sub-navigation, as in the vSphere
// Client, and for a cluster vSphere DRS › Recommendations. The view and page are in the URL
// (`?view=events&page=3`); the server prefetched the first one shown.
import { useQuery } from "@tanstack/react-query";
import { DrsRecommendations } from "@/components/objects/monitor/drs-recommendations";
import { monitorParams } from "@/components/objects/monitor/monitor-params";
import { ObjectEventsTable } from "@/components/objects/monitor/object-events-table";
import { ObjectTasksTable } from "@/components/objects/monitor/object-tasks-table";
import { SubNavigation, useSearchParamNavigation, type SubNavGroup } from "@/components/objects/sub-navigation";
import { KIND_NOUNS } from "@/components/objects/monitor/kind-nouns";
import { objectViewQuery } from "@/lib/queries/object-queries";

const HEADINGS = { tasks: "Tasks", events: "Events", drs: "DRS Recommendations" } as const;

export function MonitorTab({ uid, canOperate }: { uid: string; canOperate: boolean }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const { data: object } = useQuery(objectViewQuery(uid));
  const isCluster = object?.kind === "Cluster";
  const params = monitorParams(searchParams);
  const view = params.view === "drs" && !isCluster ? "tasks" : params.view;
  const page = params.page;
  const groups: SubNavGroup[] = [{ title: "Tasks and Events", items: [{ id: "tasks", label: "Tasks" }, { id: "events", label: "Events" }] }];
  if (isCluster) groups.push({ title: "vSphere DRS", items: [{ id: "drs", label: "Recommendations" }] });
  const noun = object ? KIND_NOUNS[object.kind] : "object";
  const onPage = (next: number) => navigate({ page: next === 1 ? null : String(next) });
  return (
    <div className="flex gap-6 p-6">
      <SubNavigation
        label="Monitor"
        param="view"
        resetParams={["page"]}
        current={view}
        groups={groups}
      />
      <section aria-labelledby="monitor-heading" className="min-w-0 flex-1 space-y-3">
        <h2 id="monitor-heading" className="text-base font-semibold">
          {HEADINGS[view]}
        </h2>
        {view === "tasks" && <ObjectTasksTable uid={uid} page={page} noun={noun} onPage={onPage} />}
        {view === "events" && <ObjectEventsTable uid={uid} page={page} noun={noun} onPage={onPage} />}
        {view === "drs" && <DrsRecommendations uid={uid} canOperate={canOperate} />}
      </section>
    </div>
  );
}
