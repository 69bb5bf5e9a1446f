import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { TasksView } from "@/components/tasks/tasks-view";
import { getAccessScope, requireUser } from "@/lib/auth/session";
import { pageOrFirst } from "@/lib/http/page-param";
import { readTaskHistory } from "@/lib/inventory/task-history";
import { taskHistoryFilterFrom } from "@/lib/inventory/task-history-filter";
import { getQueryClient } from "@/lib/queries/query-client";
import { taskHistoryQuery } from "@/lib/queries/task-queries";

export const metadata: Metadata = { title: "Tasks" };

export default async function TasksPage({ searchParams }: PageProps<"/tasks">) {
  await requireUser();
  const search = await searchParams;
  const get = (name: string) => (typeof search[name] === "string" ? search[name] : null);
  const filter = taskHistoryFilterFrom({ get });
  const page = pageOrFirst(get("page"));
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...taskHistoryQuery(filter, page), queryFn: async () => readTaskHistory(filter, page, await getAccessScope()) });
  return (
    <>
      <PageHeader icon={<ListChecks className="size-5" />} title="Tasks" description="Every task you can see, newest first: what ran, on what, for whom, and how it ended" />
      <div className="p-6">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <TasksView />
        </HydrationBoundary>
      </div>
    </>
  );
}
