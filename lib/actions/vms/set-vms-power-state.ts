"use server";
// Power On / Power Off for the VMs selected in a list: one engine call (and one task) per VM
// whose desired power state changes; the others are reported as already there.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { UserFacingError } from "@/lib/errors";
import { readVmKeys } from "@/lib/inventory/vm-keys";

const inputSchema = z.object({
  uids: z.array(z.uuid({ error: "must be VM ids" })).min(1, "select at least one VM").max(500, "at most 500 VMs at once"),
  powerState: z.enum(["PoweredOn", "PoweredOff"], { error: "must be PoweredOn or PoweredOff" }),
});

export interface BulkPowerOutcome {
  started: number;
  unchanged: number;
  failed: { name: string; message: string }[];
}

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const setVmsPowerState = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }): Promise<BulkPowerOutcome> => {
    const vms = await readVmKeys(parsedInput.uids);
    const outcome: BulkPowerOutcome = { started: 0, unchanged: 0, failed: [] };
    for (const vm of vms) {
      if (vm.desiredPowerState === parsedInput.powerState && vm.powerState === parsedInput.powerState) {
        outcome.unchanged++;
        continue;
      }
      try {
        await setVirtualMachinePowerState(ctx.user, { namespace: vm.namespace, name: vm.name, powerState: parsedInput.powerState });
        outcome.started++;
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        outcome.failed.push({ name: vm.name, message: error.message });
      }
    }
    return outcome;
  });
