// Engine function for a template's Actions › Delete from Disk: the template is marked deleted with
// a task, and the image controller removes its disk from the content library before the object
// goes. VMs deployed from it keep their own disks. The content library's own images are not
// Skylight's to delete.
import type pg from "pg";
import { assertCan } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import { getObject, markDeleted, objectKeyString } from "@/lib/engine/object-store";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { TEMPLATE_LABEL, type TemplateSpec } from "@/lib/engine/operations/vm-clone";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";

export async function deleteTemplate(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool: pg.Pool = getPool()) {
  assertCan(actor, "inventory.operate");
  return withTransaction(pool, async (tx) => {
    const current = await getObject<TemplateSpec, unknown>(tx, { kind: "VirtualMachineImage", namespace: "", name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`Template "${input.name}" does not exist.`);
    if (current.labels[TEMPLATE_LABEL] !== "true") {
      throw new InvalidInputError("name", `Image "${input.name}" comes with the content library and is not a template: only templates made with Clone to Template can be deleted.`);
    }
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    const updated = await markDeleted<TemplateSpec, unknown>(tx, current);
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "VirtualMachineImage.delete", description: `Delete template ${input.name} from disk`, target: updated, targetGeneration: updated.generation, initiator: actor.username },
      { reason: "VirtualMachineImage.delete", message: `${actor.username} deleted template ${input.name}`, actor: actor.username, before: { spec: current.spec } },
    );
    await enqueue(tx, objectKeyString(updated));
    return { object: updated, taskId };
  });
}
