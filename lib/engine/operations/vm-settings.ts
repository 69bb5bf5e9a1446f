// Engine functions behind a VM's Edit Settings and Rename. Edit Settings writes the VM's class, or
// custom CPUs and memory (spec.hardware), its boot disk size (vm-operator's
// spec.advanced.bootDiskCapacity) and its network adapters (spec.network.interfaces), refusing in
// vm-settings-rules' words what needs the VM powered off. Rename re-keys the object, keeping its uid.
import type pg from "pg";
import { authorize } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { allocationFor, diskGiBFor, imageDiskGiB, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { AlreadyExistsError, getObject, objectKeyString, renameObject, type StoredObject } from "@/lib/engine/object-store";
import { assertNamespaceAdmits } from "@/lib/engine/namespace-quota";
import { changeSpec, type OperationActor } from "@/lib/engine/operations/change-spec";
import { admitReconfigure, assertReferencesExist, RENAMED_FROM_ANNOTATION } from "@/lib/engine/operations/vm-operations";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { dns1123LabelSchema, quantityToMiB, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { settingsRefusals, vmSettingsInputSchema, type VmSettings, type VmSettingsInput } from "@/lib/engine/vm-settings-rules";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";

const FIELD_LABELS: Record<string, string> = { className: "VM class", cpus: "CPU", memoryMiB: "Memory", diskGiB: "Hard disk 1", adapters: "Network adapters" };

function parseSettings(input: unknown): VmSettingsInput {
  const parsed = vmSettingsInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path.at(-1) === "network" ? "adapters" : (issue.path.at(-1) ?? "settings"));
  throw new InvalidInputError(field, `${FIELD_LABELS[field] ?? field} ${issue.message}.`);
}

/** The settings the VM has now: what its host reports, or what its spec asks when not yet created. */
export function currentSettings(vm: StoredObject<VirtualMachineSpec>, vmClass: StoredObject<ClassSpec>, image: StoredObject<unknown, ImageStatus>): VmSettings {
  const hardware = (vm.status as VirtualMachineStatus).hardware;
  const sized = allocationFor(vmClass, vm.spec.hardware);
  return {
    cpus: hardware?.cpus ?? sized.cpus,
    memoryMiB: hardware?.memoryMiB ?? sized.memoryMiB,
    diskGiB: Math.max(hardware?.diskGiB ?? 0, diskGiBFor(image, vm.spec)),
    adapters: (vm.spec.network?.interfaces ?? []).map((entry) => ({ name: entry.name, network: entry.network?.name ?? "" })),
  };
}

export async function assertNetworksInDatacenter(tx: Db, cluster: string, networks: string[]) {
  if (networks.length === 0) return;
  const { rows } = await tx.query<{ name: string; datacenter: string }>(
    `SELECT n.name, c.spec->>'datacenter' AS datacenter FROM resources c
       LEFT JOIN resources n ON n.kind = 'Network' AND n.namespace = '' AND n.deletion_timestamp IS NULL
                            AND n.spec->>'datacenter' = c.spec->>'datacenter' AND n.name = ANY($2)
      WHERE c.kind = 'Cluster' AND c.namespace = '' AND c.name = $1`,
    [cluster, networks],
  );
  const known = new Set(rows.map((row) => row.name));
  const missing = networks.findIndex((network) => !known.has(network));
  if (missing >= 0) {
    throw new InvalidInputError("adapters", `Network adapter ${missing + 1}: network "${networks[missing]}" is not in datacenter ${rows[0]?.datacenter ?? "?"}, where the VM's cluster is.`);
  }
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

/** VM › Actions › Edit Settings: the whole form's values at once, as the dialog shows them. */
export async function editVirtualMachineSettings(
  actor: OperationActor,
  input: { namespace: string; name: string; settings: unknown; expectedResourceVersion?: string; expectedGeneration?: number },
  pool?: pg.Pool,
) {
  const settings = parseSettings(input.settings);
  return changeSpec<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "VirtualMachine.reconfigure",
    description: `Reconfigure virtual machine ${input.name}`,
    change: async (current, tx) => {
      await assertReferencesExist(tx, { ...current.spec, className: settings.className });
      const [vmClass, image] = await Promise.all([
        getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: settings.className }),
        getObject<unknown, ImageStatus>(tx, { kind: "VirtualMachineImage", namespace: "", name: current.spec.imageName }),
      ]);
      const currentClass = await getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: current.spec.className });
      const before = currentSettings(current, currentClass ?? vmClass!, image!);
      const sized = settings.hardware ?? { cpus: vmClass!.spec.hardware.cpus, memoryMiB: quantityToMiB(vmClass!.spec.hardware.memory) };
      const existing = before.adapters.map((adapter) => adapter.name);
      const interfaces = interfacesFor(settings.adapters, existing);
      const desired: VmSettings = { ...sized, diskGiB: settings.diskGiB, adapters: interfaces.map((entry) => ({ name: entry.name, network: entry.network.name })) };
      const status = current.status as VirtualMachineStatus;
      const poweredOff = current.spec.powerState === "PoweredOff" && (status.powerState ?? "PoweredOff") === "PoweredOff";
      const [refusal] = settingsRefusals(before, desired, { poweredOff, sizedByClass: settings.hardware === null });
      if (refusal) throw new InvalidInputError(refusal.field, refusal.message);
      await assertNetworksInDatacenter(tx, current.labels["skylight.io/cluster"] ?? "", desired.adapters.map((adapter) => adapter.network));

      const spec: VirtualMachineSpec = { ...current.spec, className: settings.className };
      if (settings.hardware) spec.hardware = { cpus: settings.hardware.cpus, memory: memoryQuantity(settings.hardware.memoryMiB) };
      else delete spec.hardware;
      if (settings.diskGiB > imageDiskGiB(image!) || current.spec.advanced?.bootDiskCapacity) {
        spec.advanced = { ...current.spec.advanced, bootDiskCapacity: `${settings.diskGiB}Gi` };
      }
      if (interfaces.length > 0 || current.spec.network) spec.network = { ...current.spec.network, interfaces };
      if (JSON.stringify(spec) === JSON.stringify(current.spec)) throw new InvalidInputError("settings", "No setting was changed.");
      await assertNamespaceAdmits(tx, current.namespace, { name: current.name, ...spec }, { className: spec.className });
      await admitReconfigure(tx, current.labels["skylight.io/cluster"] ?? "", { namespace: current.namespace, name: current.name, spec, reserved: status.allocation });
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
  pool: pg.Pool = getPool(),
) {
  const parsed = dns1123LabelSchema.safeParse(input.newName);
  if (!parsed.success) throw new InvalidInputError("newName", `The new name ${parsed.error.issues[0]!.message}.`);
  const newName = parsed.data;
  return withTransaction(pool, async (tx) => {
    await authorize(actor, "operate", { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, tx);
    const current = await getObject<VirtualMachineSpec, VirtualMachineStatus>(tx, { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`VirtualMachine "${input.name}" does not exist.`);
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    if (current.deletionTimestamp) throw new InvalidInputError("newName", `${current.name} is being deleted.`);
    if (!current.status.uniqueID) throw new InvalidInputError("newName", `${current.name} has not been created on a host yet; rename it once it has.`);
    if (newName === current.name) throw new InvalidInputError("newName", `The VM is already named ${newName}.`);
    const annotations = { [RENAMED_FROM_ANNOTATION]: `${current.namespace}/${current.name}`, ...current.annotations };
    let renamed: StoredObject<VirtualMachineSpec, VirtualMachineStatus>;
    try {
      renamed = await renameObject<VirtualMachineSpec, VirtualMachineStatus>(tx, current, newName, annotations);
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw new InvalidInputError("newName", `A VM named "${newName}" already exists in namespace ${current.namespace}.`);
      throw error;
    }
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "VirtualMachine.rename", description: `Rename virtual machine ${current.name} to ${newName}`, target: renamed, targetGeneration: renamed.generation, initiator: actor.username },
      {
        reason: "VirtualMachine.rename",
        message: `${actor.username} renamed virtual machine ${current.namespace}/${current.name} to ${newName}`,
        actor: actor.username,
        before: { name: current.name },
        after: { name: newName },
      },
    );
    await enqueue(tx, objectKeyString(renamed));
    return { object: renamed, taskId };
  });
}
