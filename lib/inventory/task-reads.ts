// Read model of tasks for the Recent Tasks pane.
import { prisma } from "@/lib/db/prisma";

export interface RecentTask {
  id: string;
  description: string;
  targetKind: string;
  targetName: string;
  targetUid: string | null;
  state: string;
  progress: number;
  progressMessage: string | null;
  error: string | null;
  initiator: string;
  queuedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export async function readRecentTasks(limit = 50): Promise<RecentTask[]> {
  const tasks = await prisma.task.findMany({ orderBy: { queuedAt: "desc" }, take: limit });
  return tasks.map((task) => ({
    id: task.id,
    description: task.description,
    targetKind: task.targetKind,
    targetName: task.targetNamespace ? `${task.targetNamespace}/${task.targetName}` : task.targetName,
    targetUid: task.targetUid,
    state: task.state,
    progress: task.progress,
    progressMessage: task.progressMessage,
    error: task.error,
    initiator: task.initiator,
    queuedAt: task.queuedAt.toISOString(),
    startedAt: task.startedAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
  }));
}
