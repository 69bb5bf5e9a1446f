"use server";
// Host › Actions › Remove from Inventory: only a host in maintenance mode, removed from the
// simulator and the inventory together.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { removeHostFromInventory } from "@/lib/engine/operations/host-operations";
import { getProvider } from "@/lib/engine/provider-registry";
import { ConflictError } from "@/lib/errors";

const inputSchema = z.object({ name: z.string().min(1, "is required"), expectedResourceVersion: z.string().min(1, "is required") });

export const removeHost = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    try {
      const { taskId } = await removeHostFromInventory(ctx.user, parsedInput, getProvider());
      return { status: "removed" as const, taskId };
    } catch (error) {
      if (error instanceof ConflictError) return { status: "conflict" as const, message: error.message };
      throw error;
    }
  });
