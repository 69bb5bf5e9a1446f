import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { History } from "lucide-react";
import type { Metadata } from "next";
import { EventsTable } from "@/components/events/events-table";
import { PageHeader } from "@/components/page-header";
import { getAccessScope, requirePermission } from "@/lib/auth/session";
import { eventFilterFrom } from "@/lib/inventory/event-filter";
import { readEvents } from "@/lib/inventory/event-reads";
import { eventsQuery } from "@/lib/queries/health-queries";
import { getQueryClient } from "@/lib/queries/query-client";
import { pageOrFirst } from "@/lib/http/page-param";

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({ searchParams }: PageProps<"/events">) {
  await requirePermission("inventory.read");
  const search = await searchParams;
  const get = (name: string) => (typeof search[name] === "string" ? search[name] : null);
  const filter = eventFilterFrom({ get });
  const page = pageOrFirst(get("page"));
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...eventsQuery(null, filter, page), queryFn: async () => readEvents(filter, page, await getAccessScope()) });
  return (
    <>
      <PageHeader icon={<History className="size-5" />} title="Events" description="Everything that happened in the inventory, newest first" />
      <div className="p-6">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <EventsTable uid={null} />
        </HydrationBoundary>
      </div>
    </>
  );
}
