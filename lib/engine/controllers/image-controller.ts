// The VirtualMachineImage controller, for templates made by Clone to Template (images with
// spec.source; the content library's own images need nothing). Level-triggered: it asks the
// provider to copy the source VM's disk into the library once, watches the copy, and when it is
// done reports the template's disk and Ready, which is when New Virtual Machine can deploy it.
import { finishReachedTasks, finishTasks, openTasks, recordEvent } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { withTransaction } from "@/lib/db/pool";
import { getObject, writeStatus, type ObjectKey } from "@/lib/engine/object-store";
import type { TemplateSpec } from "@/lib/engine/operations/vm-clone";

interface ImageStatus {
  disks?: { capacity: string }[];
  conditions?: Condition[];
  observedGeneration?: number;
}

export async function reconcileImage(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const image = await getObject<TemplateSpec, ImageStatus>(ctx.pool, key);
  if (!image?.spec.source || image.deletionTimestamp) return DONE;
  const ready = image.status.conditions?.find((condition) => condition.type === "Ready");
  if (ready?.status === "True" || ready?.reason === "PublishFailed") return DONE;

  const fail = async (message: string) => {
    await withTransaction(ctx.pool, async (tx) => {
      const conditions = setCondition(image.status.conditions, "Ready", "False", "PublishFailed", message, ctx.now());
      await writeStatus(tx, image, { ...image.status, conditions, observedGeneration: image.generation });
      await finishTasks(tx, (await openTasks(tx, image.uid)).map((task) => task.id), { error: message });
      await recordEvent(tx, { reason: "VirtualMachineImage.publishFailed", message: `Template ${image.name}: ${message}`, object: image, severity: "warning" });
    });
    return DONE;
  };

  const template = await ctx.provider.findTemplate(image.uid);
  if (!template) {
    const { rows } = await ctx.pool.query<{ id: string | null }>(`SELECT status->>'uniqueID' AS id FROM resources WHERE uid = $1::uuid`, [image.spec.source.uid]);
    const vmId = rows[0]?.id;
    if (!vmId) return fail(`The source VM ${image.spec.source.namespace}/${image.spec.source.name} no longer exists; nothing was copied.`);
    await ctx.provider.publishVm(vmId, { id: image.uid, name: image.name });
    return requeueAfter(0);
  }
  if (template.error) return fail(template.error);
  if (!template.ready) return requeueAfter(500);

  await withTransaction(ctx.pool, async (tx) => {
    const conditions = setCondition(image.status.conditions, "Ready", "True", "Published", "", ctx.now());
    await writeStatus(tx, image, { ...image.status, disks: [{ capacity: `${template.diskGiB}Gi` }], conditions, observedGeneration: image.generation });
    await finishReachedTasks(tx, image.uid, image.generation);
    await recordEvent(tx, { reason: "VirtualMachineImage.published", message: `Template ${image.name} is in the content library`, object: image });
  });
  return DONE;
}
