"use client";
// The Monitor tab, as in the vSphere Client: Issues and Alarms (triggered alarms and their
// history), Performance (Overview charts and an Advanced chart, for clusters, hosts, VMs and datastores), Tasks and Events, and
// for a cluster vSphere DRS › Recommendations, for a VM on a real host Guest › Serial console. The view and its page, range or filters are in the
// URL (`?view=events&severity=error`); the server prefetched the first one shown.
import { useQuery } from "@tanstack/react-query";
import { AlarmHistory } from "@/components/alarms/alarm-history";
import { TriggeredAlarmsTable } from "@/components/alarms/triggered-alarms-table";
import { EventsTable } from "@/components/events/events-table";
import { DrsRecommendations } from "@/components/objects/monitor/drs-recommendations";
import { monitorParams, PERFORMANCE_KINDS, VIEW_PARAMS } from "@/components/objects/monitor/monitor-params";
import { ObjectTasksTable } from "@/components/objects/monitor/object-tasks-table";
import { PerformanceAdvanced } from "@/components/objects/monitor/performance-advanced";
import { PerformanceView } from "@/components/objects/monitor/performance-view";
import { SerialConsoleView } from "@/components/objects/monitor/serial-console-view";
import { SubNavigation, useSearchParamNavigation, type SubNavGroup } from "@/components/objects/sub-navigation";
import { kindNoun } from "@/components/objects/monitor/kind-nouns";
import { objectViewQuery, serialConsoleQuery } from "@/lib/queries/object-queries";

const HEADINGS = { tasks: "Tasks", events: "Events", alarms: "Triggered Alarms", performance: "Performance", advanced: "Advanced Performance", drs: "DRS Recommendations", serial: "Serial Console" } as const;

export function MonitorTab({ uid, canOperate }: { uid: string; canOperate: boolean }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const { data: object } = useQuery(objectViewQuery(uid));
  const isCluster = object?.kind === "Cluster";
  const hasPerformance = object ? PERFORMANCE_KINDS.includes(object.kind) : false;
  // Only a VM on a real host has a serial console (the server prefetched whether it has one).
  const hasConsole = Boolean(useQuery({ ...serialConsoleQuery(uid), enabled: object?.kind === "VirtualMachine" }).data?.console);
  const params = monitorParams(searchParams);
  const view =
    (params.view === "drs" && !isCluster) || ((params.view === "performance" || params.view === "advanced") && object && !hasPerformance) || (params.view === "serial" && !hasConsole) ? "tasks" : params.view;
  const page = params.page;
  const groups: SubNavGroup[] = [{ title: "Issues and Alarms", items: [{ id: "alarms", label: "Triggered Alarms" }] }];
  if (hasPerformance) groups.push({ title: "Performance", items: [{ id: "performance", label: "Overview" }, { id: "advanced", label: "Advanced" }] });
  groups.push({ title: "Tasks and Events", items: [{ id: "tasks", label: "Tasks" }, { id: "events", label: "Events" }] });
  if (isCluster) groups.push({ title: "vSphere DRS", items: [{ id: "drs", label: "Recommendations" }] });
  if (hasConsole) groups.push({ title: "Guest", items: [{ id: "serial", label: "Serial console" }] });
  const noun = object ? kindNoun(object.kind) : "object";
  const onPage = (next: number) => navigate({ page: next === 1 ? null : String(next) });
  return (
    <div className="flex gap-6 p-6">
      <SubNavigation label="Monitor" param="view" resetParams={VIEW_PARAMS} current={view} groups={groups} />
      <section aria-labelledby="monitor-heading" className="min-w-0 flex-1 space-y-3">
        <h2 id="monitor-heading" className="text-base font-semibold">
          {HEADINGS[view]}
        </h2>
        {view === "tasks" && <ObjectTasksTable uid={uid} page={page} noun={noun} onPage={onPage} />}
        {view === "events" && <EventsTable uid={uid} noun={noun} />}
        {view === "alarms" && (
          <>
            <TriggeredAlarmsTable uid={uid} canOperate={canOperate} empty={`No alarms are triggered on this ${noun}.`} />
            <h3 className="pt-3 text-sm font-semibold">Alarm history</h3>
            <AlarmHistory uid={uid} />
          </>
        )}
        {view === "performance" && object && <PerformanceView uid={uid} kind={object.kind} />}
        {view === "advanced" && object && <PerformanceAdvanced uid={uid} kind={object.kind} name={object.name} />}
        {view === "drs" && <DrsRecommendations uid={uid} canOperate={canOperate} />}
        {view === "serial" && object && <SerialConsoleView uid={uid} name={object.name} />}
      </section>
    </div>
  );
}
