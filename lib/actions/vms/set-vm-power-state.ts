"use server";
// A VM's Actions › Power: Power On, Power Off (hard), Suspend, Shut Down Guest OS (soft), each as
// lib/vocabulary/vm-intents.ts defines it.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { powerVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { PowerIntentName } from "@/lib/vocabulary/vm-intents";

const POWER_INTENTS = ["powerOn", "powerOff", "suspend", "shutdownGuest"] as const satisfies readonly PowerIntentName[];

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  operation: z.enum(POWER_INTENTS, { error: `must be ${POWER_INTENTS.join(", ")}` }),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const setVmPowerState = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { namespace, name, operation }, ctx }) => {
    const { taskId } = await powerVirtualMachine(ctx.user, { namespace, name, intent: operation });
    return { taskId };
  });
