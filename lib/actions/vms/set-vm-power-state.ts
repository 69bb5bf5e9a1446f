"use server";
// A VM's Actions › Power: Power On, Power Off (hard), Suspend, Shut Down Guest OS (soft).
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";

const REQUESTS = {
  powerOn: { powerState: "PoweredOn" },
  powerOff: { powerState: "PoweredOff", powerOffMode: "Hard" },
  suspend: { powerState: "Suspended" },
  shutdownGuest: { powerState: "PoweredOff", powerOffMode: "Soft" },
} as const;

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  operation: z.enum(["powerOn", "powerOff", "suspend", "shutdownGuest"], { error: "must be powerOn, powerOff, suspend or shutdownGuest" }),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const setVmPowerState = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { namespace, name, operation }, ctx }) => {
    const { taskId } = await setVirtualMachinePowerState(ctx.user, { namespace, name, ...REQUESTS[operation] });
    return { taskId };
  });
