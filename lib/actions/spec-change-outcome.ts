// What a settings form learns from saving: saved (with the task the engine created) or a
// conflict, because someone else changed the object after the form opened. A conflict is an
// answer the form acts on (Reload), not a failure, so it comes back as data.
import "server-only";
import { ConflictError } from "@/lib/errors";

export type SpecChangeOutcome = { status: "saved"; taskId: string; resourceVersion: string } | { status: "conflict"; message: string };

export async function saveOrReportConflict(write: () => Promise<{ object: { resourceVersion: string }; taskId: string }>): Promise<SpecChangeOutcome> {
  try {
    const { object, taskId } = await write();
    return { status: "saved", taskId, resourceVersion: object.resourceVersion };
  } catch (error) {
    if (error instanceof ConflictError) return { status: "conflict", message: error.message };
    throw error;
  }
}
