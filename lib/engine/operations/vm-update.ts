// A VM's desired state replaced as a whole (kubectl apply, replace, patch, the YAML tab): labels,
// annotations and spec, admitted by exactly the rules of the console's one-intent operations
// (lib/engine/vm-admission.ts: power transitions, Edit Settings' powered-off rules, networks in
// the datacenter, the class existing, limits, HA admission), plus vm-operator's immutable fields
// and the engine's own metadata kept as the engine wrote it. Fields Skylight does not act on are
// stored as given.
import type pg from "pg";
import { fieldPath } from "@/lib/engine/field-path";
import { writeObject, type ObjectReplacement, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { sameJson } from "@/lib/engine/same-json";
import { virtualMachineSpecSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { admitVmChange } from "@/lib/engine/vm-admission";
import { InvalidInputError } from "@/lib/errors";
import { withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";
import { intentDescription, powerIntentFor, VM_INTENTS } from "@/lib/vocabulary/vm-intents";

const IMMUTABLE_FIELDS = ["imageName", "storageClass"] as const;

/** Edit Settings' form fields, as the spec names them. */
const SPEC_FIELDS: Record<string, string> = {
  cpus: "spec.hardware.cpus",
  memoryMiB: "spec.hardware.memory",
  diskGiB: "spec.advanced.bootDiskCapacity",
  adapters: "spec.network.interfaces",
};

/** The task: a power operation or a class change by its own name, anything else an update. */
function taskFor(name: string, before: VirtualMachineSpec, after: VirtualMachineSpec): { operation: string; description: string } {
  const changed = Object.keys({ ...before, ...after }).filter((key) => !sameJson(before[key as keyof VirtualMachineSpec], after[key as keyof VirtualMachineSpec]));
  if (changed.includes("powerState") && changed.every((key) => key === "powerState" || key === "powerOffMode")) {
    const intent = powerIntentFor(after.powerState, after.powerOffMode);
    return { operation: VM_INTENTS[intent].operation, description: intentDescription(intent, name) };
  }
  if (changed.length === 1 && changed[0] === "className") return { operation: "VirtualMachine.reconfigure", description: `Change class of virtual machine ${name} to ${after.className}` };
  return { operation: "VirtualMachine.update", description: `Update virtual machine ${name}` };
}

export async function updateVirtualMachine(actor: OperationActor, input: ObjectReplacement, pool?: pg.Pool): Promise<OperationResult<VirtualMachineSpec>> {
  const parsed = virtualMachineSpecSchema.safeParse(input.spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(fieldPath(issue.path, "spec"), issue.message);
  }
  const spec = parsed.data;
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "VirtualMachine.update",
    description: `Update virtual machine ${input.name}`,
    noOpWithoutTask: true,
    change: async (current, tx) => {
      for (const field of IMMUTABLE_FIELDS) {
        if (spec[field] !== current.spec[field]) throw new InvalidInputError(`spec.${field}`, `field is immutable: a VM keeps the ${field} it was created with.`);
      }
      const labels = withEngineOwned("labels", input.labels, current.labels);
      const annotations = withEngineOwned("annotations", input.annotations, current.annotations);
      try {
        await admitVmChange(tx, current, spec);
      } catch (error) {
        if (error instanceof InvalidInputError && SPEC_FIELDS[error.field]) throw new InvalidInputError(SPEC_FIELDS[error.field]!, error.message);
        throw error;
      }
      return { spec, labels, annotations, ownerReferences: input.ownerReferences, task: taskFor(current.name, current.spec, spec) };
    },
    pool,
  });
}
