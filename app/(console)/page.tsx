import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Home } from "lucide-react";
import type { Metadata } from "next";
import { Suspense } from "react";
import { InventorySummaryCards, InventorySummarySkeleton } from "@/components/home/inventory-summary-cards";
import { HealthDashboard } from "@/components/home/health-dashboard";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { readDashboard } from "@/lib/inventory/dashboard-reads";
import { readInventorySummary } from "@/lib/inventory/inventory-reads";
import { dashboardQuery, triggeredAlarmsQuery } from "@/lib/queries/health-queries";
import { inventorySummaryQuery } from "@/lib/queries/inventory-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const user = await requireUser();
  const header = <PageHeader icon={<Home className="size-5" />} title="Home" description={`Signed in as ${user.name}`} />;

  if (!can(user, "inventory.read")) {
    return (
      <>
        {header}
        <div className="p-6">
          <div className="max-w-xl rounded-lg border border-dashed border-border bg-surface p-6">
            <h2 className="font-semibold">No namespaces yet</h2>
            <p className="mt-1 text-sm text-muted-foreground">
              As a developer you see the namespaces you are a member of. You are not a member of any namespace yet; ask an
              administrator to add you to one.
            </p>
          </div>
        </div>
      </>
    );
  }

  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...inventorySummaryQuery(), queryFn: readInventorySummary }),
    queryClient.prefetchQuery({ ...dashboardQuery(), queryFn: readDashboard }),
    queryClient.prefetchQuery({ ...triggeredAlarmsQuery(null), queryFn: () => readTriggeredAlarms() }),
  ]);
  return (
    <>
      {header}
      <div className="space-y-4 p-6">
        <h2 className="text-sm font-semibold text-muted-foreground">Inventory</h2>
        <HydrationBoundary state={dehydrate(queryClient)}>
          <Suspense fallback={<InventorySummarySkeleton />}>
            <InventorySummaryCards />
          </Suspense>
          <HealthDashboard canOperate={can(user, "inventory.operate")} />
        </HydrationBoundary>
      </div>
    </>
  );
}
