"use server";
// Datastore › Actions › Refresh Capacity Information.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { refreshDatastoreCapacity as refreshInEngine } from "@/lib/engine/operations/datastore-operations";

export const refreshDatastoreCapacity = actionRequiring("inventory.operate")
  .inputSchema(z.object({ name: z.string().min(1, "is required") }))
  .action(async ({ parsedInput, ctx }) => ({ taskId: (await refreshInEngine(ctx.user, parsedInput)).taskId }));
