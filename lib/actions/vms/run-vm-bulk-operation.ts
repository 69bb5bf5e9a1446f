"use server";
// An operation on the VMs selected in a list (Power On, Power Off, Suspend, Reset, Shut Down Guest
// OS, Delete from Disk): one engine call, and one task, per VM it changes; VMs already there are
// counted as unchanged, and a VM the engine refuses is named with its reason. Each VM is authorized
// before its state is looked at, and a VM the user may not see counts as not found, exactly as one
// that was deleted: the answer tells nothing of other namespaces.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { authorize, readAccessScope } from "@/lib/auth/authorize";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { deleteVirtualMachine, restartVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { UserFacingError } from "@/lib/errors";
import { readVmKeys, type VmKey } from "@/lib/inventory/vm-keys";

export type BulkVmOperation = "powerOn" | "powerOff" | "suspend" | "reset" | "shutdownGuest" | "delete";

const inputSchema = z.object({
  uids: z.array(z.uuid({ error: "must be VM ids" })).min(1, "select at least one VM").max(500, "at most 500 VMs at once"),
  operation: z.enum(["powerOn", "powerOff", "suspend", "reset", "shutdownGuest", "delete"], {
    error: "must be powerOn, powerOff, suspend, reset, shutdownGuest or delete",
  }),
});

export interface BulkOutcome {
  started: number;
  unchanged: number;
  failed: { name: string; message: string }[];
  /** Selected VMs that no longer exist, or that the user may not see: the two are not told apart. */
  notFound: number;
}

const settledIn = (vm: VmKey, state: string) => vm.desiredPowerState === state && vm.powerState === state;

/** Whether the VM is already where the operation would take it. */
const ALREADY: Record<BulkVmOperation, (vm: VmKey) => boolean> = {
  powerOn: (vm) => settledIn(vm, "PoweredOn"),
  powerOff: (vm) => settledIn(vm, "PoweredOff"),
  suspend: (vm) => settledIn(vm, "Suspended"),
  shutdownGuest: (vm) => settledIn(vm, "PoweredOff"),
  reset: () => false,
  delete: (vm) => vm.deleting,
};

function run(operation: BulkVmOperation, actor: OperationActor, vm: { namespace: string; name: string }) {
  switch (operation) {
    case "powerOn":
      return setVirtualMachinePowerState(actor, { ...vm, powerState: "PoweredOn" });
    case "powerOff":
      return setVirtualMachinePowerState(actor, { ...vm, powerState: "PoweredOff" });
    case "suspend":
      return setVirtualMachinePowerState(actor, { ...vm, powerState: "Suspended" });
    case "shutdownGuest":
      return setVirtualMachinePowerState(actor, { ...vm, powerState: "PoweredOff", powerOffMode: "Soft" });
    case "reset":
      return restartVirtualMachine(actor, { ...vm, mode: "Hard" });
    case "delete":
      return deleteVirtualMachine(actor, vm);
  }
}

export const runVmBulkOperation = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }): Promise<BulkOutcome> => {
    const uids = [...new Set(parsedInput.uids)];
    const vms = await readVmKeys(uids, await readAccessScope(ctx.user));
    const outcome: BulkOutcome = { started: 0, unchanged: 0, failed: [], notFound: uids.length - vms.length };
    for (const vm of vms) {
      try {
        await authorize(ctx.user, "operate", { kind: "VirtualMachine", namespace: vm.namespace, name: vm.name });
        if (ALREADY[parsedInput.operation](vm)) {
          outcome.unchanged++;
          continue;
        }
        await run(parsedInput.operation, ctx.user, { namespace: vm.namespace, name: vm.name });
        outcome.started++;
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        outcome.failed.push({ name: vm.name, message: error.message });
      }
    }
    return outcome;
  });
