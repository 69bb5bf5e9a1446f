"use server";
// An operation on the VMs selected in a list (Power On, Power Off, Suspend, Reset, Shut Down Guest
// OS, Delete from Disk): one engine call, and one task, per VM it changes, each intent meaning what
// it means for a single VM (lib/vocabulary/vm-intents.ts); VMs already there are counted as
// unchanged, and a VM the engine refuses is named with its reason. Each VM is authorized before its
// state is looked at, and a VM the user may not see counts as not found, exactly as one that was
// deleted: the answer tells nothing of other namespaces.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { authorize, readAccessScope } from "@/lib/auth/authorize";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { deleteVirtualMachine, powerVirtualMachine, restartVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { UserFacingError } from "@/lib/errors";
import { readVmKeys, type VmKey } from "@/lib/inventory/vm-keys";
import { VM_INTENTS, type VmIntentName } from "@/lib/vocabulary/vm-intents";

const BULK_OPERATIONS = ["powerOn", "powerOff", "suspend", "reset", "shutdownGuest", "delete"] as const satisfies readonly VmIntentName[];
export type BulkVmOperation = (typeof BULK_OPERATIONS)[number];

const inputSchema = z.object({
  uids: z.array(z.uuid({ error: "must be VM ids" })).min(1, "select at least one VM").max(500, "at most 500 VMs at once"),
  operation: z.enum(BULK_OPERATIONS, { error: `must be ${BULK_OPERATIONS.join(", ")}` }),
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
    case "powerOff":
    case "suspend":
    case "shutdownGuest":
      return powerVirtualMachine(actor, { ...vm, intent: operation });
    case "reset":
      return restartVirtualMachine(actor, { ...vm, mode: VM_INTENTS.reset.restartMode });
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
