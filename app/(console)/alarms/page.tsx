import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { BellRing } from "lucide-react";
import type { Metadata } from "next";
import { TriggeredAlarmsView } from "@/components/alarms/triggered-alarms-view";
import { PageHeader } from "@/components/page-header";
import { can, readAccessScope } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { alarmFilterFrom } from "@/lib/inventory/alarm-filter";
import { readAlarmCounts, readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { alarmCountsQuery, triggeredAlarmsQuery } from "@/lib/queries/health-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Triggered Alarms" };

export default async function TriggeredAlarmsPage({ searchParams }: PageProps<"/alarms">) {
  const user = await requireUser();
  const search = await searchParams;
  const filter = alarmFilterFrom({ get: (name) => (typeof search[name] === "string" ? search[name] : null) });
  const scope = await readAccessScope(user);
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...triggeredAlarmsQuery(null, filter), queryFn: () => readTriggeredAlarms({ filter, scope }) }),
    queryClient.prefetchQuery({ ...alarmCountsQuery(), queryFn: () => readAlarmCounts(scope) }),
  ]);
  return (
    <>
      <PageHeader
        icon={<BellRing className="size-5" />}
        title="Triggered Alarms"
        description={scope.all ? "Every triggered alarm in the inventory, critical first" : "Triggered alarms on your namespaces and what they use, critical first"}
      />
      <div className="p-6">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <TriggeredAlarmsView canOperate={can(user, "inventory.operate")} />
        </HydrationBoundary>
      </div>
    </>
  );
}
