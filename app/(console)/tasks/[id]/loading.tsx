import { TaskDetailSkeleton } from "@/components/tasks/task-detail-view";

export default function TaskLoading() {
  return <TaskDetailSkeleton />;
}
