"use server";
// VM › Actions › Snapshots › Take Snapshot.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { takeSnapshotSchema } from "@/lib/actions/vms/take-snapshot-schema";
import { takeSnapshot } from "@/lib/engine/operations/vm-snapshots";

const inputSchema = takeSnapshotSchema.extend({ namespace: z.string().min(1, "is required"), vm: z.string().min(1, "is required") });

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const takeVmSnapshot = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { namespace, vm, name, description, memory }, ctx }) => {
    const { taskId } = await takeSnapshot(ctx.user, { namespace, name: vm, snapshotName: name, description, memory });
    return { taskId };
  });
