// The VirtualMachineImage controller, for templates made by Clone to Template (images with
// spec.source; the content library's own images need nothing). Level-triggered: it asks the
// provider to copy the source VM's disk into the library once, watches the copy, and when it is
// done reports the template's disk and Ready, which is when New Virtual Machine can deploy it.
// A template marked deleted has its disk removed from the library before the object goes.
import { finishReachedTasks, finishTasks, openTasks, recordEvent } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { withTransaction } from "@/lib/db/pool";
import { getObject, removeObject, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import type { TemplateSpec } from "@/lib/engine/operations/vm-clone";
import { TEMPLATE_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

interface ImageStatus {
  disks?: { capacity: string }[];
  conditions?: Condition[];
  observedGeneration?: number;
}

export async function reconcileImage(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const image = await getObject<TemplateSpec, ImageStatus>(ctx.pool, key);
  if (!image?.spec.source) return DONE;
  if (image.deletionTimestamp) return deleteStep(ctx, image);
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

async function deleteStep(ctx: ReconcileContext, image: StoredObject<TemplateSpec, ImageStatus>): Promise<ReconcileResult> {
  await ctx.provider.deleteTemplate(image.uid);
  await withTransaction(ctx.pool, async (tx) => {
    const stripped = await writeMetadata(tx, image, { finalizers: image.finalizers.filter((finalizer) => finalizer !== TEMPLATE_FINALIZER) });
    await finishTasks(tx, (await openTasks(tx, image.uid)).map((task) => task.id));
    await recordEvent(tx, { reason: "VirtualMachineImage.deleted", message: `Deleted template ${image.name} from the content library`, object: image });
    await removeObject(tx, stripped);
  });
  return DONE;
}
