// Engine functions for a VM's desired state, one per intent: create, power, restart, change
// class, migrate, delete. Each is one writeObject call (authorize, lock, version check, task,
// event, enqueue) whose change meets the rules in lib/engine/vm-admission.ts.
import type pg from "pg";
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { getObject, type OwnerReference, type StoredObject } from "@/lib/engine/object-store";
import { mustRuleRefusals } from "@/lib/engine/drs-rule-decisions";
import { datastoreRefusal, hostRefusal } from "@/lib/engine/migration-rules";
import { writeObject, type ObjectChange, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { dns1123LabelSchema, powerOpModeSchema, powerStateSchema, virtualMachineSpecSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { admitNewVm, admitVmChange } from "@/lib/engine/vm-admission";
import { addedDisksGiB, withDisksOn } from "@/lib/engine/vm-device-rules";
import { InvalidInputError } from "@/lib/errors";
import { VM_OPERATOR_API_VERSION } from "@/lib/inventory/kinds";
import { CLONE_OF_ANNOTATION, CLUSTER_LABEL, finalizersForDeletion, namespaceReference, REQUESTED_HOST_ANNOTATION, VM_FINALIZER, withEngineOwned, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";
import { intentDescription, powerIntentFor, restartIntentFor, VM_INTENTS, type PowerIntentName, type VmIntent } from "@/lib/vocabulary/vm-intents";

export const createVirtualMachineInputSchema = z.object({
  namespace: dns1123LabelSchema,
  name: dns1123LabelSchema,
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  spec: virtualMachineSpecSchema,
  /** Owners a client named, admitted by lib/kube/owner-reference-admission.ts; the namespace's reference is the engine's. */
  ownerReferences: z.array(z.custom<OwnerReference>()).default([]),
});

/** What only the engine decides about a new VM, passed by the operation that makes it, never read from a client's metadata. */
export interface NewVmOptions {
  /** Clone to Virtual Machine: the uid of the VM whose disk the new VM copies. */
  cloneOf?: string;
  /** A host an administrator or operator chose; absent: DRS places the VM. */
  requestedHost?: string;
  /** The task's name, when the VM is made some other way than New Virtual Machine (a clone). */
  task?: { operation: string; description: string };
}

export async function createVirtualMachine(
  actor: OperationActor,
  input: z.input<typeof createVirtualMachineInputSchema>,
  pool?: pg.Pool,
  options: NewVmOptions = {},
): Promise<OperationResult<VirtualMachineSpec>> {
  const { namespace, name, labels, annotations, spec, ownerReferences } = createVirtualMachineInputSchema.parse(input);
  const { cloneOf, requestedHost, task } = options;
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace, name },
    // Choosing a host is an infrastructure operation, beyond a namespace's edit role.
    authority: { verb: "operate", ...(requestedHost && { permission: "inventory.operate" }) },
    operation: task?.operation ?? "VirtualMachine.create",
    description: task?.description ?? `Create virtual machine ${name}`,
    message: task ? undefined : `${actor.username} created virtual machine ${namespace}/${name}`,
    nameTaken: { field: "name", message: `A VM named "${name}" already exists in namespace ${namespace}.` },
    create: async (tx) => {
      const { namespaceUid, cluster } = await admitNewVm(tx, { namespace, name, spec, requestedHost });
      const engineAnnotations = { ...(cloneOf && { [CLONE_OF_ANNOTATION]: cloneOf }), ...(requestedHost && { [REQUESTED_HOST_ANNOTATION]: requestedHost }) };
      return {
        apiVersion: VM_OPERATOR_API_VERSION,
        kind: "VirtualMachine",
        namespace,
        name,
        labels: withEngineOwned("labels", labels, { [CLUSTER_LABEL]: cluster }),
        annotations: withEngineOwned("annotations", annotations, engineAnnotations),
        finalizers: [VM_FINALIZER],
        // A client's list may repeat the namespace's reference (an exported VM created again); admission held it to this one.
        ownerReferences: [namespaceReference(namespace, namespaceUid), ...ownerReferences.filter((reference) => reference.kind !== "Namespace")],
        spec,
      };
    },
    pool,
  });
}

/**
 * Powers a VM on, off or into suspend. `powerOffMode` picks how a power-off happens: Hard (Power
 * Off, also when no mode is given), Soft (Shut Down Guest OS) or TrySoft; the task is named after
 * what happens (lib/vocabulary/vm-intents.ts).
 */
export async function setVirtualMachinePowerState(
  actor: OperationActor,
  input: { namespace: string; name: string; powerState: string; powerOffMode?: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const powerState = powerStateSchema.parse(input.powerState);
  const asked = input.powerOffMode === undefined ? undefined : powerOpModeSchema.parse(input.powerOffMode);
  if (asked && powerState !== "PoweredOff") throw new InvalidInputError("spec.powerOffMode", "A power-off mode applies only when powering off.");
  const powerOffMode = powerState === "PoweredOff" ? (asked ?? VM_INTENTS.powerOff.powerOffMode) : undefined;
  const intent = powerIntentFor(powerState, powerOffMode);
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: VM_INTENTS[intent].operation,
    description: intentDescription(intent, input.name),
    change: async (current, tx) => {
      const spec = { ...current.spec, powerState, ...(powerOffMode && { powerOffMode }) };
      await admitVmChange(tx, current, spec);
      return { spec };
    },
    pool,
  });
}

/** A power intent of the console's menus and bulk actions, meaning what lib/vocabulary/vm-intents.ts says it means. */
export function powerVirtualMachine(actor: OperationActor, input: { namespace: string; name: string; intent: PowerIntentName }, pool?: pg.Pool) {
  const { powerState, powerOffMode }: VmIntent = VM_INTENTS[input.intent];
  return setVirtualMachinePowerState(actor, { namespace: input.namespace, name: input.name, powerState: powerState!, powerOffMode }, pool);
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
  const intent = restartIntentFor(restartMode);
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: VM_INTENTS[intent].operation,
    description: intentDescription(intent, input.name),
    change: (current) => {
      const observed = (current.status as { powerState?: string }).powerState;
      if (current.spec.powerState !== "PoweredOn" || observed !== "PoweredOn") {
        const state = current.spec.powerState !== observed ? "changing its power state" : observed === "Suspended" ? "suspended" : "powered off";
        throw new InvalidInputError("spec.nextRestartTime", `Only a powered-on VM can be ${intent === "restartGuest" ? "restarted" : "reset"}; this one is ${state}.`);
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
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "VirtualMachine.reconfigure",
    description: `Change class of virtual machine ${input.name} to ${input.className}`,
    change: async (current, tx) => {
      const spec = { ...current.spec, className: input.className };
      await admitVmChange(tx, current, spec);
      return { spec };
    },
    pool,
  });
}

/** The change that asks a VM to move to `host`, refused when the host cannot take it. */
export async function migrationTo(current: StoredObject<VirtualMachineSpec>, tx: Db, host: string): Promise<ObjectChange<VirtualMachineSpec>> {
  const target = await getObject<{ cluster: string; maintenanceMode: boolean }, { connectionState?: string }>(tx, { kind: "Host", namespace: "", name: host });
  if (!target) throw new InvalidInputError("host", `Host "${host}" does not exist.`);
  const refusal = hostRefusal(
    { cluster: current.labels[CLUSTER_LABEL] ?? "" },
    { name: host, cluster: target.spec.cluster, maintenanceMode: target.spec.maintenanceMode, connectionState: target.status.connectionState },
  );
  if (refusal) throw new InvalidInputError("host", `Host ${host} is ${refusal}.`);
  const ruleRefusal = (await mustRuleRefusals(tx, target.spec.cluster, `${current.namespace}/${current.name}`, [host], true)).get(host);
  if (ruleRefusal) throw new InvalidInputError("host", `Moving ${current.name} to ${host} ${ruleRefusal}.`);
  return { annotations: { ...current.annotations, [REQUESTED_HOST_ANNOTATION]: host } };
}

/** The change that moves a VM's disks to `datastore`, refused when the datastore cannot take them. */
export async function storageMigrationTo(current: StoredObject<VirtualMachineSpec>, tx: Db, datastore: string) {
  const target = await getObject<unknown, { freeGiB?: number }>(tx, { kind: "Datastore", namespace: "", name: datastore });
  if (!target || target.deletionTimestamp) throw new InvalidInputError("datastore", `Datastore "${datastore}" does not exist.`);
  const status = current.status as { hardware?: { diskGiB?: number } };
  const refusal = datastoreRefusal(
    { cluster: current.labels[CLUSTER_LABEL] ?? "", datastore: current.spec.storageClass, diskGiB: (status.hardware?.diskGiB ?? 0) + addedDisksGiB(current.spec) },
    { name: datastore, cluster: target.labels[CLUSTER_LABEL] ?? "", freeGiB: target.status.freeGiB ?? null },
  );
  if (refusal) throw new InvalidInputError("datastore", `Datastore ${datastore} cannot take the VM's disks: ${refusal}.`);
  return withDisksOn(current.spec, datastore);
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
  if (!input.host && !input.datastore) throw new InvalidInputError("host", "Choose a host, a datastore or both to migrate the VM to.");
  const where = [input.host, input.datastore].filter(Boolean).join(" and ");
  return writeObject<VirtualMachineSpec>({
    actor,
    // Choosing a host or a datastore is an infrastructure operation, beyond a namespace's edit role.
    authority: { permission: "inventory.operate", verb: "operate" },
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
  input: { namespace: string; name: string; expectedResourceVersion?: string; propagationPolicy?: PropagationPolicy },
  pool?: pg.Pool,
) {
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: VM_INTENTS.delete.operation,
    description: intentDescription("delete", input.name),
    message: `${actor.username} deleted virtual machine ${input.namespace}/${input.name}`,
    change: (current) => ({ delete: "mark", finalizers: finalizersForDeletion(current.finalizers, input.propagationPolicy) }),
    pool,
  });
}
