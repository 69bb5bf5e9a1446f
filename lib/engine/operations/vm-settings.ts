// Engine functions behind a VM's Edit Settings and Rename. Edit Settings writes the VM's class, or
// custom CPUs and memory (spec.hardware), its boot disk size (vm-operator's
// spec.advanced.bootDiskCapacity), its network adapters (spec.network.interfaces), its added disks
// (spec.volumes) and CD/DVD drives (spec.cdrom), refusing in vm-settings-rules' words what needs
// the VM powered off. Rename re-keys the object, keeping its uid.
import type pg from "pg";
import type { ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { imageDiskGiB } from "@/lib/engine/controllers/vm-hardware";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { fieldPath } from "@/lib/engine/field-path";
import { getObject } from "@/lib/engine/object-store";
import { followVmRename } from "@/lib/engine/operations/cluster-rule-operations";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { dns1123LabelSchema, virtualMachineSpecSchema, type VirtualMachineSpec, type VmCdrom, type VmVolume } from "@/lib/engine/schemas";
import { admitVmChange } from "@/lib/engine/vm-admission";
import { settingsIssue, vmSettingsInputSchema, type VmSettingsInput } from "@/lib/engine/vm-settings-rules";
import { InvalidInputError, QuotaExceededError } from "@/lib/errors";
import { CLUSTER_LABEL, RENAMED_FROM_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

function parseSettings(input: unknown): VmSettingsInput {
  const parsed = vmSettingsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { field, message } = settingsIssue(parsed.error.issues[0]!);
  throw new InvalidInputError(field, message);
}

/** Which dialog field a refusal of the spec's devices belongs to. */
const DEVICE_FIELDS: [string, string][] = [["spec.volumes", "disks"], ["spec.cdrom", "cdroms"]];
function asSettingsField(error: unknown): unknown {
  if (!(error instanceof InvalidInputError)) return error;
  const field = DEVICE_FIELDS.find(([prefix]) => error.field.startsWith(prefix))?.[1];
  if (!field) return error;
  return error instanceof QuotaExceededError ? new QuotaExceededError(field, error.message, error.quota) : new InvalidInputError(field, error.message);
}

/** The next name of the form `${prefix}N` not yet taken, counting from 1. */
function nextFree(prefix: string, taken: Set<string>): string {
  let number = 1;
  while (taken.has(`${prefix}${number}`)) number++;
  taken.add(`${prefix}${number}`);
  return `${prefix}${number}`;
}

/**
 * The disks as spec.volumes: a kept disk keeps its volume (its claim name and any other field) with
 * the size asked; a new one is an instance-storage claim on the VM's datastore. Volumes that are
 * not disks Skylight attaches (a claim without a size) stay as they were.
 */
function volumesFor(disks: NonNullable<VmSettingsInput["disks"]>, vmName: string, spec: VirtualMachineSpec): VmVolume[] {
  const existing = spec.volumes ?? [];
  const taken = new Set(existing.map((volume) => volume.name));
  const others = existing.filter((volume) => !volume.persistentVolumeClaim?.instanceVolumeClaim);
  return [
    ...others,
    ...disks.map((disk) => {
      const size = `${disk.sizeGiB}Gi`;
      const kept = existing.find((volume) => volume.name === disk.name && volume.persistentVolumeClaim?.instanceVolumeClaim);
      if (kept) return { ...kept, persistentVolumeClaim: { ...kept.persistentVolumeClaim!, instanceVolumeClaim: { ...kept.persistentVolumeClaim!.instanceVolumeClaim!, size } } };
      const name = nextFree("disk-", taken);
      return { name, persistentVolumeClaim: { claimName: `${vmName}-${name}`, instanceVolumeClaim: { storageClass: spec.storageClass, size } } };
    }),
  ];
}

/** The drives as spec.cdrom: kept drives keep their other fields (allowGuestControl); new ones are named cdrom1, cdrom2, … */
function cdromsFor(drives: NonNullable<VmSettingsInput["cdroms"]>, spec: VirtualMachineSpec): VmCdrom[] {
  const existing = spec.cdrom ?? [];
  const taken = new Set(existing.map((drive) => drive.name));
  return drives.map((drive) => {
    const kept = existing.find((entry) => entry.name === drive.name);
    const image = { kind: kept?.image.kind ?? "VirtualMachineImage", name: drive.image };
    return kept ? { ...kept, image, connected: drive.connected } : { name: nextFree("cdrom", taken), image, connected: drive.connected };
  });
}

/** Sets `key` to `list`, leaving the spec without the key when the list is empty and the spec had none. */
function setList<K extends "volumes" | "cdrom">(spec: VirtualMachineSpec, key: K, list: NonNullable<VirtualMachineSpec[K]>) {
  if (list.length > 0 || spec[key]) spec[key] = list;
}

/** The spec as built, checked by the schema kubectl's writes meet (names, bounds, one image per drive). */
function checkSpec(spec: VirtualMachineSpec): void {
  const parsed = virtualMachineSpecSchema.safeParse(spec);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  throw new InvalidInputError(fieldPath(issue.path, "spec"), issue.message);
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
      if (settings.disks) setList(spec, "volumes", volumesFor(settings.disks, current.name, current.spec));
      if (settings.cdroms) setList(spec, "cdrom", cdromsFor(settings.cdroms, current.spec));
      try {
        checkSpec(spec);
        await admitVmChange(tx, current, spec, { askedDiskGiB: settings.diskGiB });
      } catch (error) {
        throw asSettingsField(error);
      }
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
