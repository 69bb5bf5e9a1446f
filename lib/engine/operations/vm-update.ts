// A VM's desired state replaced as a whole (kubectl apply, replace, patch, the YAML tab): labels,
// annotations and spec, under the same rules as the console's one-intent operations — power
// transitions, HA admission, the class, image and storage class existing — plus vm-operator's
// immutable fields. Fields Skylight does not act on are stored as given.
import type pg from "pg";
import { authorize } from "@/lib/auth/authorize";
import { assertNamespaceAdmits } from "@/lib/engine/namespace-quota";
import { getPool, withTransaction } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import { getObject, objectKeyString, writeMetadata, writeSpec, type StoredObject } from "@/lib/engine/object-store";
import type { OperationActor, OperationResult } from "@/lib/engine/operations/change-spec";
import { admitPowerOn, admitReconfigure, assertPowerTransition, assertReferencesExist } from "@/lib/engine/operations/vm-operations";
import type { VmAllocation } from "@/lib/engine/placement";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { virtualMachineSpecSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { sameJson } from "@/lib/engine/same-json";

/** Labels Skylight sets itself; a write cannot change or remove them. */
const SYSTEM_LABELS = ["skylight.io/cluster"];
/** Annotations under skylight.io/ are the engine's bookkeeping (create pending, requested host): kept as they are. */
const isSystemAnnotation = (key: string) => key.startsWith("skylight.io/");
const IMMUTABLE_FIELDS = ["imageName", "storageClass"] as const;

export interface UpdateVirtualMachineInput {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: unknown;
  expectedResourceVersion?: string;
}

function describe(name: string, before: VirtualMachineSpec, after: VirtualMachineSpec): { operation: string; description: string } {
  const changed = Object.keys({ ...before, ...after }).filter((key) => !sameJson(before[key as keyof VirtualMachineSpec], after[key as keyof VirtualMachineSpec]));
  if (changed.length === 1 && changed[0] === "powerState") {
    const verb = { PoweredOn: ["powerOn", "Power on"], PoweredOff: ["powerOff", "Power off"], Suspended: ["suspend", "Suspend"] }[after.powerState];
    return { operation: `VirtualMachine.${verb[0]}`, description: `${verb[1]} virtual machine ${name}` };
  }
  if (changed.length === 1 && changed[0] === "className") return { operation: "VirtualMachine.reconfigure", description: `Change class of virtual machine ${name} to ${after.className}` };
  return { operation: "VirtualMachine.update", description: `Update virtual machine ${name}` };
}

export async function updateVirtualMachine(actor: OperationActor, input: UpdateVirtualMachineInput, pool: pg.Pool = getPool()): Promise<OperationResult<VirtualMachineSpec>> {
  const parsed = virtualMachineSpecSchema.safeParse(input.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(["spec", ...issue.path.map(String)].join("."), issue.message);
  }
  const spec = parsed.data;
  return withTransaction(pool, async (tx) => {
    await authorize(actor, "operate", { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, tx);
    const current = await getObject<VirtualMachineSpec, { powerState?: "PoweredOn" | "PoweredOff" | "Suspended" }>(tx, { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`VirtualMachine "${input.name}" does not exist.`);
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    if (current.deletionTimestamp) throw new InvalidInputError("metadata.deletionTimestamp", `VirtualMachine "${current.name}" is being deleted.`);
    for (const field of IMMUTABLE_FIELDS) {
      if (spec[field] !== current.spec[field]) throw new InvalidInputError(`spec.${field}`, `field is immutable: a VM keeps the ${field} it was created with.`);
    }
    for (const label of SYSTEM_LABELS) {
      if (label in input.labels && input.labels[label] !== current.labels[label]) throw new InvalidInputError(`metadata.labels.${label}`, "is set by Skylight and cannot be changed.");
    }
    const labels = { ...input.labels, ...Object.fromEntries(SYSTEM_LABELS.filter((label) => label in current.labels).map((label) => [label, current.labels[label]!])) };
    const annotations = {
      ...Object.fromEntries(Object.entries(input.annotations).filter(([key]) => !isSystemAnnotation(key))),
      ...Object.fromEntries(Object.entries(current.annotations).filter(([key]) => isSystemAnnotation(key))),
    };
    if (spec.className !== current.spec.className) await assertReferencesExist(tx, spec);
    if (spec.powerState !== current.spec.powerState) {
      assertPowerTransition(current.status.powerState, spec.powerState);
      if (spec.powerState === "PoweredOn") {
        await admitPowerOn(tx, current.labels["skylight.io/cluster"] ?? "", { namespace: current.namespace, name: current.name, spec, allocation: (current.status as { allocation?: never }).allocation });
      }
    }

    const specChanged = !sameJson(spec, current.spec);
    if (specChanged) await assertNamespaceAdmits(tx, current.namespace, { ...spec, name: current.name }, { className: spec.className });
    if (specChanged && spec.powerState === current.spec.powerState) {
      await admitReconfigure(tx, current.labels["skylight.io/cluster"] ?? "", { namespace: current.namespace, name: current.name, spec, reserved: (current.status as { allocation?: VmAllocation }).allocation });
    }
    const metadataChanged = !sameJson(labels, current.labels) || !sameJson(annotations, current.annotations);
    if (!specChanged && !metadataChanged) return { object: current, taskId: "" };
    const updated: StoredObject<VirtualMachineSpec> = specChanged
      ? await writeSpec<VirtualMachineSpec, unknown>(tx, current, spec, { labels, annotations })
      : await writeMetadata<VirtualMachineSpec, unknown>(tx, current, { labels, annotations });
    const { operation, description } = describe(current.name, current.spec, spec);
    const taskId = await createTaskWithEvent(
      tx,
      { operation, description, target: updated, targetGeneration: updated.generation, initiator: actor.username },
      {
        reason: operation,
        message: `${actor.username}: ${description}`,
        actor: actor.username,
        before: { spec: current.spec, labels: current.labels, annotations: current.annotations },
        after: { spec: updated.spec, labels: updated.labels, annotations: updated.annotations },
      },
    );
    await enqueue(tx, objectKeyString(updated));
    return { object: updated, taskId };
  });
}
