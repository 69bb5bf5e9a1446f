// Engine function for a template's Actions › Delete from Disk: the template is marked deleted with
// a task, and the image controller removes its disk from the content library before the object
// goes. VMs deployed from it keep their own disks. The content library's own images are not
// Skylight's to delete.
import type pg from "pg";
import type { TemplateSpec } from "@/lib/engine/operations/vm-clone";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { InvalidInputError } from "@/lib/errors";
import { TEMPLATE_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export async function deleteTemplate(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool?: pg.Pool) {
  return writeObject<TemplateSpec>({
    actor,
    key: { kind: "VirtualMachineImage", namespace: "", name: input.name },
    authority: { permission: "inventory.operate" },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "VirtualMachineImage.delete",
    description: `Delete template ${input.name} from disk`,
    message: `${actor.username} deleted template ${input.name}`,
    change: (current) => {
      if (current.labels[TEMPLATE_LABEL] !== "true") {
        throw new InvalidInputError("name", `Image "${input.name}" comes with the content library and is not a template: only templates made with Clone to Template can be deleted.`);
      }
      return { delete: "mark" };
    },
    pool,
  });
}
