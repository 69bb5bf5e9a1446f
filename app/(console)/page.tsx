import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { Home } from "lucide-react";
import type { Metadata } from "next";
import { Suspense } from "react";
import { InventorySummaryCards, InventorySummarySkeleton } from "@/components/home/inventory-summary-cards";
import { MyNamespaces } from "@/components/home/my-namespaces";
import { NewNamespaceLink } from "@/components/namespaces/new-namespace-link";
import { HealthDashboard } from "@/components/home/health-dashboard";
import { PageHeader } from "@/components/page-header";
import { can, EVERYTHING } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readTriggeredAlarms } from "@/lib/inventory/alarm-reads";
import { readDashboard } from "@/lib/inventory/dashboard-reads";
import { readInventorySummary } from "@/lib/inventory/inventory-reads";
import { readMyNamespaces, readUsableTemplates } from "@/lib/inventory/namespace-reads";
import { dashboardQuery, triggeredAlarmsQuery } from "@/lib/queries/health-queries";
import { inventorySummaryQuery } from "@/lib/queries/inventory-queries";
import { myNamespacesQuery } from "@/lib/queries/namespace-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const user = await requireUser();
  if (!can(user, "inventory.read")) {
    const queryClient = getQueryClient();
    const [templates] = await Promise.all([readUsableTemplates(user), queryClient.prefetchQuery({ ...myNamespacesQuery(), queryFn: () => readMyNamespaces(user) })]);
    return (
      <>
        <PageHeader
          icon={<Home className="size-5" />}
          title="Home"
          description={`Signed in as ${user.name}`}
          actions={templates.length > 0 ? <NewNamespaceLink /> : undefined}
        />
        <div className="space-y-4 p-6">
          <h2 className="text-sm font-semibold text-muted-foreground">Your namespaces</h2>
          <HydrationBoundary state={dehydrate(queryClient)}>
            <MyNamespaces canSelfServe={templates.length > 0} />
          </HydrationBoundary>
        </div>
      </>
    );
  }

  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...inventorySummaryQuery(), queryFn: () => readInventorySummary(EVERYTHING) }),
    queryClient.prefetchQuery({ ...dashboardQuery(), queryFn: readDashboard }),
    queryClient.prefetchQuery({ ...triggeredAlarmsQuery(null), queryFn: () => readTriggeredAlarms() }),
  ]);
  return (
    <>
      <PageHeader icon={<Home className="size-5" />} title="Home" description={`Signed in as ${user.name}`} />
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
