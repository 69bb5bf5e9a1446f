// Engine functions for a VM's snapshots, one per intent: take, revert to, delete one, delete all.
// Each writes a snapshot request into the VM's spec through writeObject (task, event, enqueue);
// the VM controller carries it out through the provider and finishes the task when it has.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import type { StoredObject } from "@/lib/engine/object-store";
import { writeObject, type ChangeRequest, type OperationActor } from "@/lib/engine/operations/write-object";
import type { SnapshotRequest, VirtualMachineSpec } from "@/lib/engine/schemas";
import { flattenSnapshotTree } from "@/lib/engine/snapshot-tree";
import { admitVmChange } from "@/lib/engine/vm-admission";
import { InvalidInputError } from "@/lib/errors";

interface VmTarget {
  namespace: string;
  name: string;
  expectedResourceVersion?: string;
}

type Vm = StoredObject<VirtualMachineSpec>;

const statusOf = (vm: Vm) => vm.status as VirtualMachineStatus;

/** One snapshot operation at a time, and only on a VM that exists on a host. */
function assertCanRequest(vm: Vm) {
  const status = statusOf(vm);
  if (!status.uniqueID) throw new InvalidInputError("snapshot", `${vm.name} has not been created on a host yet; snapshots need its disks.`);
  const pending = vm.spec.snapshotRequest;
  if (pending && status.snapshotRequestDone !== pending.id) {
    throw new InvalidInputError("snapshot", `${vm.name} is still carrying out an earlier snapshot operation; try again when it has finished.`);
  }
}

function snapshotNamed(vm: Vm, snapshotId: string) {
  const found = flattenSnapshotTree(statusOf(vm).snapshots ?? []).find(({ node }) => node.id === snapshotId);
  if (!found) throw new InvalidInputError("snapshotId", `${vm.name} has no such snapshot; it may have been deleted meanwhile.`);
  return found.node;
}

function request(vm: Vm, body: DistributiveOmit<SnapshotRequest, "id">): { spec: VirtualMachineSpec } {
  assertCanRequest(vm);
  return { spec: { ...vm.spec, snapshotRequest: { ...body, id: randomUUID() } as SnapshotRequest } };
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** The write every snapshot intent makes on the VM named by `input`. */
function requestOnVm(
  actor: OperationActor,
  input: VmTarget,
  pool: pg.Pool | undefined,
  operation: string,
  description: string,
  change: ChangeRequest<VirtualMachineSpec>["change"],
) {
  const key = { kind: "VirtualMachine" as const, namespace: input.namespace, name: input.name };
  return writeObject<VirtualMachineSpec>({ actor, key, expectedResourceVersion: input.expectedResourceVersion, operation, description, change, pool });
}

export async function takeSnapshot(
  actor: OperationActor,
  input: VmTarget & { snapshotName: string; description?: string; memory: boolean },
  pool?: pg.Pool,
) {
  const snapshotName = input.snapshotName.trim();
  if (!snapshotName) throw new InvalidInputError("name", "A snapshot needs a name.");
  if (snapshotName.length > 80) throw new InvalidInputError("name", "A snapshot name can be at most 80 characters long.");
  const description = (input.description ?? "").trim();
  if (description.length > 500) throw new InvalidInputError("description", "A snapshot description can be at most 500 characters long.");
  return requestOnVm(actor, input, pool, "VirtualMachine.createSnapshot", `Take snapshot "${snapshotName}" of virtual machine ${input.name}`, (current) => {
    if (input.memory && (statusOf(current).powerState !== "PoweredOn" || current.spec.powerState !== "PoweredOn")) {
      throw new InvalidInputError("memory", "Only a powered-on VM's memory can be included in a snapshot.");
    }
    return request(current, { action: "take", name: snapshotName, description, memory: input.memory });
  });
}

/** A snapshot with memory resumes the VM powered on; one without leaves it powered off. */
export async function revertToSnapshot(actor: OperationActor, input: VmTarget & { snapshotId: string }, pool?: pg.Pool) {
  return requestOnVm(actor, input, pool, "VirtualMachine.revertToSnapshot", `Revert virtual machine ${input.name} to a snapshot`, async (current, tx) => {
    const snapshot = snapshotNamed(current, input.snapshotId);
    const powerState: VirtualMachineSpec["powerState"] = snapshot.includesMemory ? "PoweredOn" : "PoweredOff";
    const { spec } = request(current, { action: "revert", snapshotId: snapshot.id });
    const reverted = { ...spec, powerState };
    await admitVmChange(tx, current, reverted);
    return { spec: reverted };
  });
}

/** The snapshot's children move up to its parent; the VM's current state is untouched. */
export async function deleteSnapshot(actor: OperationActor, input: VmTarget & { snapshotId: string }, pool?: pg.Pool) {
  return requestOnVm(actor, input, pool, "VirtualMachine.removeSnapshot", `Delete a snapshot of virtual machine ${input.name}`, (current) => request(current, { action: "delete", snapshotId: snapshotNamed(current, input.snapshotId).id }));
}

export async function deleteAllSnapshots(actor: OperationActor, input: VmTarget, pool?: pg.Pool) {
  return requestOnVm(actor, input, pool, "VirtualMachine.removeAllSnapshots", `Delete all snapshots of virtual machine ${input.name}`, (current) => {
    if (!statusOf(current).snapshots?.length) throw new InvalidInputError("snapshot", `${current.name} has no snapshots to delete.`);
    return request(current, { action: "deleteAll" });
  });
}
