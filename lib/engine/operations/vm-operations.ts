// Engine functions for a VM's desired state, one per intent: create, power, change class,
// migrate, delete. Each validates, authorizes and writes through changeSpec (or, for create,
// the same steps inline), so that the Recent Tasks pane and the audit log see every one.
import type pg from "pg";
import { z } from "zod";
import { assertCan, authorize } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import { AlreadyExistsError, getObject, insertObject, markDeleted, objectKeyString, type StoredObject } from "@/lib/engine/object-store";
import { allocationFor, type ClassSpec } from "@/lib/engine/controllers/vm-hardware";
import { assertFailoverCapacity } from "@/lib/engine/ha-admission";
import { assertNamespaceAdmits } from "@/lib/engine/namespace-quota";
import { datastoreRefusal, hostRefusal } from "@/lib/engine/migration-rules";
import { changeSpec, type OperationActor, type OperationResult } from "@/lib/engine/operations/change-spec";
import type { VmAllocation } from "@/lib/engine/placement";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { dns1123LabelSchema, powerOpModeSchema, powerStateSchema, virtualMachineSpecSchema, type ClusterSpec, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { VM_OPERATOR_API_VERSION } from "@/lib/inventory/kinds";

export const VM_FINALIZER = "vmoperator.vmware.com/virtualmachine";
export const REQUESTED_HOST_ANNOTATION = "skylight.io/requested-host";
/** The owner key the provider still knows a renamed VM by, until the VM controller tells it the new one. */
export const RENAMED_FROM_ANNOTATION = "skylight.io/renamed-from";
/** Clone to Virtual Machine: the uid of the VM whose disk the new VM is created from. */
export const CLONE_OF_ANNOTATION = "skylight.io/clone-of";

export const createVirtualMachineInputSchema = z.object({
  namespace: dns1123LabelSchema,
  name: dns1123LabelSchema,
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  spec: virtualMachineSpecSchema,
});

/**
 * Checks in one query that the VM's class, image and storage class exist, and returns the
 * namespace (uid and cluster) when one is named.
 */
export async function assertReferencesExist(db: Db, spec: VirtualMachineSpec, namespace = ""): Promise<{ uid: string; cluster: string } | null> {
  const { rows } = await db.query<{ kind: string; uid: string; cluster: string | null; deleting: boolean }>(
    `SELECT kind, uid::text, spec->>'cluster' AS cluster, deletion_timestamp IS NOT NULL AS deleting FROM resources
      WHERE namespace = '' AND ((kind = 'VirtualMachineClass' AND name = $1) OR (kind = 'VirtualMachineImage' AND name = $2)
         OR (kind = 'Datastore' AND name = $3) OR (kind = 'Namespace' AND name = $4))`,
    [spec.className, spec.imageName, spec.storageClass, namespace],
  );
  const owner = rows.find((row) => row.kind === "Namespace" && !row.deleting);
  if (namespace && !owner) throw new InvalidInputError("namespace", `Namespace "${namespace}" does not exist.`);
  const found = new Set(rows.map((row) => row.kind));
  if (!found.has("VirtualMachineClass")) throw new InvalidInputError("spec.className", `VirtualMachineClass "${spec.className}" does not exist.`);
  if (!found.has("VirtualMachineImage")) throw new InvalidInputError("spec.imageName", `VirtualMachineImage "${spec.imageName}" does not exist.`);
  if (!found.has("Datastore")) throw new InvalidInputError("spec.storageClass", `Storage class "${spec.storageClass}" does not exist.`);
  return owner ? { uid: owner.uid, cluster: owner.cluster ?? "" } : null;
}

/** vSphere HA admission control for a VM about to be powered on in `clusterName`. */
export async function admitPowerOn(tx: Db, clusterName: string, vm: { namespace: string; name: string; spec: VirtualMachineSpec; allocation?: VmAllocation }) {
  const cluster = await getObject<ClusterSpec, unknown>(tx, { kind: "Cluster", namespace: "", name: clusterName });
  if (!cluster) return;
  let allocation = vm.allocation;
  if (!allocation) {
    const vmClass = await getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: vm.spec.className });
    if (!vmClass) return;
    allocation = allocationFor(vmClass, vm.spec.hardware);
  }
  await assertFailoverCapacity(tx, cluster, vm, allocation);
}

/**
 * vSphere HA admission control for a running VM given a new size (hot-add, another class): only
 * a reservation that grows beyond `reserved`, what the VM holds now, can use up failover capacity.
 */
export async function admitReconfigure(tx: Db, clusterName: string, vm: { namespace: string; name: string; spec: VirtualMachineSpec; reserved?: VmAllocation }) {
  if (vm.spec.powerState !== "PoweredOn") return;
  const [cluster, vmClass] = await Promise.all([
    getObject<ClusterSpec, unknown>(tx, { kind: "Cluster", namespace: "", name: clusterName }),
    getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: vm.spec.className }),
  ]);
  if (!cluster || !vmClass) return;
  const allocation = allocationFor(vmClass, vm.spec.hardware);
  const reserved = vm.reserved ?? { reservedMemoryMiB: 0, reservedCpuMhz: 0 };
  if (allocation.reservedMemoryMiB <= reserved.reservedMemoryMiB && allocation.reservedCpuMhz <= reserved.reservedCpuMhz) return;
  await assertFailoverCapacity(tx, cluster, vm, allocation, "reconfiguring");
}

export async function createVirtualMachine(
  actor: OperationActor,
  input: z.input<typeof createVirtualMachineInputSchema>,
  pool: pg.Pool = getPool(),
  /** The task's name, when the VM is made some other way than New Virtual Machine (a clone). */
  task?: { operation: string; description: string },
): Promise<OperationResult<VirtualMachineSpec>> {
  const { namespace, name, labels, annotations, spec } = createVirtualMachineInputSchema.parse(input);
  return withTransaction(pool, async (tx) => {
    await authorize(actor, "operate", { kind: "VirtualMachine", namespace, name }, tx);
    const owner = (await assertReferencesExist(tx, spec, namespace))!;
    await assertNamespaceAdmits(tx, namespace, { name, ...spec }, spec);
    if (spec.powerState === "PoweredOn") await admitPowerOn(tx, owner.cluster, { namespace, name, spec });
    let object: StoredObject<VirtualMachineSpec>;
    try {
      object = await insertObject(tx, {
        apiVersion: VM_OPERATOR_API_VERSION,
        kind: "VirtualMachine",
        namespace,
        name,
        labels: { ...labels, "skylight.io/cluster": owner.cluster },
        annotations,
        finalizers: [VM_FINALIZER],
        ownerReferences: [{ apiVersion: "v1", kind: "Namespace", name: namespace, uid: owner.uid, blockOwnerDeletion: true }],
        spec,
      });
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw new InvalidInputError("name", `A VM named "${name}" already exists in namespace ${namespace}.`);
      throw error;
    }
    const taskId = await createTaskWithEvent(
      tx,
      { operation: task?.operation ?? "VirtualMachine.create", description: task?.description ?? `Create virtual machine ${name}`, target: object, targetGeneration: object.generation, initiator: actor.username },
      { reason: task?.operation ?? "VirtualMachine.create", message: task ? `${actor.username}: ${task.description}` : `${actor.username} created virtual machine ${namespace}/${name}`, actor: actor.username, after: { spec: object.spec } },
    );
    await enqueue(tx, [objectKeyString(object), `Namespace//${namespace}`]);
    return { object, taskId };
  });
}

const POWER_VERBS = { PoweredOn: "Power on", PoweredOff: "Power off", Suspended: "Suspend" } as const;

/** vm-operator refuses to suspend a VM that is not running. */
export function assertPowerTransition(observed: string | undefined, requested: z.infer<typeof powerStateSchema>) {
  if (requested === "Suspended" && observed !== undefined && observed !== "PoweredOn") {
    throw new InvalidInputError("spec.powerState", `Only a powered-on VM can be suspended; this one is ${observed === "PoweredOff" ? "powered off" : "suspended"}.`);
  }
}

/**
 * Powers a VM on, off or into suspend. `powerOffMode` picks how a power-off happens: Hard (Power
 * Off), Soft (Shut Down Guest OS) or TrySoft; without it the VM's spec keeps its own.
 */
export async function setVirtualMachinePowerState(
  actor: OperationActor,
  input: { namespace: string; name: string; powerState: string; powerOffMode?: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const powerState = powerStateSchema.parse(input.powerState);
  const powerOffMode = input.powerOffMode === undefined ? undefined : powerOpModeSchema.parse(input.powerOffMode);
  if (powerOffMode && powerState !== "PoweredOff") throw new InvalidInputError("spec.powerOffMode", "A power-off mode applies only when powering off.");
  const shutdownGuest = powerOffMode === "Soft";
  return changeSpec<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: `VirtualMachine.${shutdownGuest ? "shutdownGuest" : powerState === "PoweredOn" ? "powerOn" : powerState === "PoweredOff" ? "powerOff" : "suspend"}`,
    description: shutdownGuest ? `Shut down guest OS of virtual machine ${input.name}` : `${POWER_VERBS[powerState]} virtual machine ${input.name}`,
    change: async (current, tx) => {
      const status = current.status as { powerState?: string; allocation?: VmAllocation };
      assertPowerTransition(status.powerState, powerState);
      if (powerState === "PoweredOn" && current.spec.powerState !== "PoweredOn") {
        await assertNamespaceAdmits(tx, current.namespace, { ...current.spec, name: current.name, powerState });
        await admitPowerOn(tx, current.labels["skylight.io/cluster"] ?? "", { namespace: current.namespace, name: current.name, spec: current.spec, allocation: status.allocation });
      }
      return { spec: { ...current.spec, powerState, ...(powerOffMode && { powerOffMode }) } };
    },
    pool,
  });
}

/**
 * vm-operator's restart of a running VM: a new spec.nextRestartTime asks for one, and restartMode
 * says how: Hard is vSphere's Reset (a power cycle), Soft is Restart Guest OS.
 */
export async function restartVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; mode: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const restartMode = powerOpModeSchema.parse(input.mode);
  const guest = restartMode !== "Hard";
  return changeSpec<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: guest ? "VirtualMachine.restartGuest" : "VirtualMachine.reset",
    description: guest ? `Restart guest OS of virtual machine ${input.name}` : `Reset virtual machine ${input.name}`,
    change: (current) => {
      const observed = (current.status as { powerState?: string }).powerState;
      if (current.spec.powerState !== "PoweredOn" || observed !== "PoweredOn") {
        const state = current.spec.powerState !== observed ? "changing its power state" : observed === "Suspended" ? "suspended" : "powered off";
        throw new InvalidInputError("spec.nextRestartTime", `Only a powered-on VM can be ${guest ? "restarted" : "reset"}; this one is ${state}.`);
      }
      return { spec: { ...current.spec, restartMode, nextRestartTime: new Date().toISOString() } };
    },
    pool,
  });
}

export async function changeVirtualMachineClass(
  actor: OperationActor,
  input: { namespace: string; name: string; className: string; expectedResourceVersion?: string; expectedGeneration?: number },
  pool?: pg.Pool,
) {
  return changeSpec<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "VirtualMachine.reconfigure",
    description: `Change class of virtual machine ${input.name} to ${input.className}`,
    change: async (current, tx) => {
      const spec = { ...current.spec, className: input.className };
      await assertReferencesExist(tx, spec);
      await assertNamespaceAdmits(tx, current.namespace, { ...spec, name: current.name }, { className: spec.className });
      await admitReconfigure(tx, current.labels["skylight.io/cluster"] ?? "", { namespace: current.namespace, name: current.name, spec, reserved: (current.status as { allocation?: VmAllocation }).allocation });
      return { spec };
    },
    pool,
  });
}

/** The change that asks a VM to move to `host`, refused when the host cannot take it. */
export async function migrationTo(current: StoredObject<VirtualMachineSpec>, tx: Db, host: string) {
  const target = await getObject<{ cluster: string; maintenanceMode: boolean }, { connectionState?: string }>(tx, { kind: "Host", namespace: "", name: host });
  if (!target) throw new InvalidInputError("host", `Host "${host}" does not exist.`);
  const refusal = hostRefusal(
    { cluster: current.labels["skylight.io/cluster"] ?? "" },
    { name: host, cluster: target.spec.cluster, maintenanceMode: target.spec.maintenanceMode, connectionState: target.status.connectionState },
  );
  if (refusal) throw new InvalidInputError("host", `Host ${host} is ${refusal}.`);
  return { annotations: { [REQUESTED_HOST_ANNOTATION]: host } };
}

/** The change that moves a VM's disks to `datastore`, refused when the datastore cannot take them. */
export async function storageMigrationTo(current: StoredObject<VirtualMachineSpec>, tx: Db, datastore: string) {
  const target = await getObject<unknown, { freeGiB?: number }>(tx, { kind: "Datastore", namespace: "", name: datastore });
  if (!target || target.deletionTimestamp) throw new InvalidInputError("datastore", `Datastore "${datastore}" does not exist.`);
  const status = current.status as { hardware?: { diskGiB?: number } };
  const refusal = datastoreRefusal(
    { cluster: current.labels["skylight.io/cluster"] ?? "", datastore: current.spec.storageClass, diskGiB: status.hardware?.diskGiB ?? 0 },
    { name: datastore, cluster: target.labels["skylight.io/cluster"] ?? "", freeGiB: target.status.freeGiB ?? null },
  );
  if (refusal) throw new InvalidInputError("datastore", `Datastore ${datastore} cannot take the VM's disks: ${refusal}.`);
  return { ...current.spec, storageClass: datastore };
}

/**
 * vSphere's Migrate: change host (vMotion, live when the VM runs), change storage (Storage
 * vMotion), or both. The host moves first, then the disks.
 */
export async function migrateVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; host?: string; datastore?: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  // Choosing a host or a datastore is an infrastructure operation, beyond a namespace's edit role.
  assertCan(actor, "inventory.operate");
  if (!input.host && !input.datastore) throw new InvalidInputError("host", "Choose a host, a datastore or both to migrate the VM to.");
  const where = [input.host, input.datastore].filter(Boolean).join(" and ");
  return changeSpec<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "VirtualMachine.migrate",
    description: `Migrate virtual machine ${input.name} to ${where}`,
    change: async (current, tx) => ({
      ...(input.host ? await migrationTo(current, tx, input.host) : {}),
      ...(input.datastore ? { spec: await storageMigrationTo(current, tx, input.datastore) } : {}),
    }),
    pool,
  });
}

export async function deleteVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; expectedResourceVersion?: string },
  pool: pg.Pool = getPool(),
) {
  return withTransaction(pool, async (tx) => {
    await authorize(actor, "operate", { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, tx);
    const current = await getObject<VirtualMachineSpec, unknown>(tx, { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`VirtualMachine "${input.name}" does not exist.`);
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    const updated = await markDeleted<VirtualMachineSpec, unknown>(tx, current);
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "VirtualMachine.delete", description: `Delete virtual machine ${input.name} from disk`, target: updated, targetGeneration: updated.generation, initiator: actor.username },
      { reason: "VirtualMachine.delete", message: `${actor.username} deleted virtual machine ${input.namespace}/${input.name}`, actor: actor.username, before: { spec: current.spec } },
    );
    await enqueue(tx, [objectKeyString(updated), `Namespace//${input.namespace}`]);
    return { object: updated, taskId };
  });
}
