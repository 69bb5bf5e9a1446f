import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { ListChecks } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TaskDetailView } from "@/components/tasks/task-detail-view";
import { PageHeader } from "@/components/page-header";
import { getAccessScope, requireUser } from "@/lib/auth/session";
import { readTaskDetail } from "@/lib/inventory/task-reads";
import { getQueryClient } from "@/lib/queries/query-client";
import { taskDetailQuery } from "@/lib/queries/task-queries";

export const metadata: Metadata = { title: "Task" };

export default async function TaskPage({ params }: PageProps<"/tasks/[id]">) {
  await requireUser();
  const { id } = await params;
  const detail = await readTaskDetail(id, await getAccessScope());
  if (!detail) notFound();

  const { task } = detail;
  const target = { uid: task.targetUid, kind: task.targetKind };
  const queryClient = getQueryClient();
  queryClient.setQueryData(taskDetailQuery(id, target).queryKey, detail);
  return (
    <>
      <PageHeader icon={<ListChecks className="size-5" />} title={task.description} description={`Task on ${task.targetKind} ${task.targetName}, started by ${task.initiator}`} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <TaskDetailView id={id} target={target} />
      </HydrationBoundary>
    </>
  );
}
