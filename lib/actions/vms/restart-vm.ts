"use server";
// A VM's Actions › Power: Reset (a hard power cycle) and Restart Guest OS (soft).
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { restartVirtualMachine } from "@/lib/engine/operations/vm-operations";

const MODES = { reset: "Hard", restartGuest: "Soft" } as const;

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  operation: z.enum(["reset", "restartGuest"], { error: "must be reset or restartGuest" }),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const restartVm = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { namespace, name, operation }, ctx }) => {
    const { taskId } = await restartVirtualMachine(ctx.user, { namespace, name, mode: MODES[operation] });
    return { taskId };
  });
