"use server";
// A VM's Actions › Power: Reset (a hard power cycle) and Restart Guest OS (soft), each as
// lib/vocabulary/vm-intents.ts defines it.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { restartVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { VM_INTENTS } from "@/lib/vocabulary/vm-intents";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  operation: z.enum(["reset", "restartGuest"], { error: "must be reset or restartGuest" }),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const restartVm = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { namespace, name, operation }, ctx }) => {
    const { taskId } = await restartVirtualMachine(ctx.user, { namespace, name, mode: VM_INTENTS[operation].restartMode });
    return { taskId };
  });
