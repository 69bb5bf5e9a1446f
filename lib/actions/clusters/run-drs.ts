"use server";
// Monitor › vSphere DRS › Run DRS Now: a balancing pass at once instead of at the next interval.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { runDrs as runDrsInEngine } from "@/lib/engine/operations/cluster-operations";

export const runDrs = actionRequiring("inventory.operate")
  .inputSchema(z.object({ name: z.string().min(1, "is required") }))
  .action(async ({ parsedInput, ctx }) => ({ taskId: (await runDrsInEngine(ctx.user, parsedInput)).taskId }));
