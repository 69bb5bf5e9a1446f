// Engine functions behind a VM's Edit Settings and Rename. Edit Settings writes the VM's class, or
// custom CPUs and memory (spec.hardware), its boot disk size (vm-operator's
// spec.advanced.bootDiskCapacity) and its network adapters (spec.network.interfaces), refusing in
// vm-settings-rules' words what needs the VM powered off. Rename re-keys the object, keeping its uid.
import type pg from "pg";
import type { ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { imageDiskGiB } from "@/lib/engine/controllers/vm-hardware";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { getObject } from "@/lib/engine/object-store";
import { followVmRename } from "@/lib/engine/operations/cluster-rule-operations";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { dns1123LabelSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { admitVmChange } from "@/lib/engine/vm-admission";
import { vmSettingsInputSchema, type VmSettingsInput } from "@/lib/engine/vm-settings-rules";
import { InvalidInputError } from "@/lib/errors";
import { CLUSTER_LABEL, RENAMED_FROM_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

const FIELD_LABELS: Record<string, string> = { className: "VM class", cpus: "CPU", memoryMiB: "Memory", diskGiB: "Hard disk 1", adapters: "Network adapters" };

function parseSettings(input: unknown): VmSettingsInput {
  const parsed = vmSettingsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path.at(-1) === "network" ? "adapters" : (issue.path.at(-1) ?? "settings"));
  throw new InvalidInputError(field, `${FIELD_LABELS[field] ?? field} ${issue.message}.`);
}

/** Adapters keep their interface names; new ones take the next free ethN, as vm-operator names them. */
function interfacesFor(adapters: VmSettingsInput["adapters"], existing: string[]) {
  const taken = new Set(existing);
  let next = 0;
  return adapters.map((adapter) => {
    if (adapter.name && existing.includes(adapter.name)) return { name: adapter.name, network: { kind: "Network", name: adapter.network } };
    while (taken.has(`eth${next}`)) next++;
    taken.add(`eth${next}`);
    return { name: `eth${next}`, network: { kind: "Network", name: adapter.network } };
  });
}

const memoryQuantity = (mib: number) => (mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`);

/**
 * VM › Actions › Edit Settings: the whole form's values at once, as the dialog shows them, admitted
 * by the same rules as every other change of the VM's spec (lib/engine/vm-admission.ts).
 */
export async function editVirtualMachineSettings(
  actor: OperationActor,
  input: { namespace: string; name: string; settings: unknown; expectedResourceVersion?: string; expectedGeneration?: number },
  pool?: pg.Pool,
) {
  const settings = parseSettings(input.settings);
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "VirtualMachine.reconfigure",
    description: `Reconfigure virtual machine ${input.name}`,
    change: async (current, tx) => {
      const image = await getObject<unknown, ImageStatus>(tx, { kind: "VirtualMachineImage", namespace: "", name: current.spec.imageName });
      const interfaces = interfacesFor(settings.adapters, (current.spec.network?.interfaces ?? []).map((entry) => entry.name));
      const spec: VirtualMachineSpec = { ...current.spec, className: settings.className };
      if (settings.hardware) spec.hardware = { cpus: settings.hardware.cpus, memory: memoryQuantity(settings.hardware.memoryMiB) };
      else delete spec.hardware;
      if ((image && settings.diskGiB > imageDiskGiB(image)) || current.spec.advanced?.bootDiskCapacity) {
        spec.advanced = { ...current.spec.advanced, bootDiskCapacity: `${settings.diskGiB}Gi` };
      }
      if (interfaces.length > 0 || current.spec.network) spec.network = { ...current.spec.network, interfaces };
      await admitVmChange(tx, current, spec, { askedDiskGiB: settings.diskGiB });
      if (JSON.stringify(spec) === JSON.stringify(current.spec)) throw new InvalidInputError("settings", "No setting was changed.");
      return { spec };
    },
    pool,
  });
}

/**
 * VM › Actions › Rename. A Kubernetes name is the object's key, so renaming re-keys the VM in one
 * transaction: same uid, new name, a new resourceVersion. The provider still knows the VM by its
 * old owner key, so the VM controller is told through an annotation to hand it the new one before
 * anything looks it up by the new name. A VM not yet created on a host cannot be renamed, so no
 * create with the old key can race the rename.
 */
export async function renameVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; newName: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const parsed = dns1123LabelSchema.safeParse(input.newName);
  if (!parsed.success) throw new InvalidInputError("newName", `The new name ${parsed.error.issues[0]!.message}.`);
  const newName = parsed.data;
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "VirtualMachine.rename",
    description: `Rename virtual machine ${input.name} to ${newName}`,
    message: `${actor.username} renamed virtual machine ${input.namespace}/${input.name} to ${newName}`,
    nameTaken: { field: "newName", message: `A VM named "${newName}" already exists in namespace ${input.namespace}.` },
    change: (current) => {
      if (!(current.status as VirtualMachineStatus).uniqueID) throw new InvalidInputError("newName", `${current.name} has not been created on a host yet; rename it once it has.`);
      if (newName === current.name) throw new InvalidInputError("newName", `The VM is already named ${newName}.`);
      // A second rename before the controller has caught up keeps the key the provider knows.
      return { name: newName, annotations: { [RENAMED_FROM_ANNOTATION]: `${current.namespace}/${current.name}`, ...current.annotations } };
    },
    afterWrite: (object, tx) => followVmRename(tx, object.labels[CLUSTER_LABEL] ?? "", `${input.namespace}/${input.name}`, `${input.namespace}/${newName}`),
    pool,
  });
}
