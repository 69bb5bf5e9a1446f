"use server";
// A VM's Actions › Delete from Disk: the VM goes once its finalizer has removed it from its host.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const deleteVm = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { taskId } = await deleteVirtualMachine(ctx.user, parsedInput);
    return { taskId };
  });
