"use server";
// VM › Actions › Snapshots › Manage Snapshots: Revert to, Delete, Delete All.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { deleteAllSnapshots, deleteSnapshot, revertToSnapshot } from "@/lib/engine/operations/vm-snapshots";

const inputSchema = z.discriminatedUnion("operation", [
  z.object({ operation: z.literal("revert"), namespace: z.string().min(1), name: z.string().min(1), snapshotId: z.string().min(1, "is required") }),
  z.object({ operation: z.literal("delete"), namespace: z.string().min(1), name: z.string().min(1), snapshotId: z.string().min(1, "is required") }),
  z.object({ operation: z.literal("deleteAll"), namespace: z.string().min(1), name: z.string().min(1) }),
]);

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const changeVmSnapshots = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { operation, ...vm } = parsedInput;
    const { taskId } =
      parsedInput.operation === "deleteAll"
        ? await deleteAllSnapshots(ctx.user, vm)
        : parsedInput.operation === "revert"
          ? await revertToSnapshot(ctx.user, { ...vm, snapshotId: parsedInput.snapshotId })
          : await deleteSnapshot(ctx.user, { ...vm, snapshotId: parsedInput.snapshotId });
    return { taskId, operation };
  });
