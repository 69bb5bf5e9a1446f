"use server";
// Host › Simulate Failure / Recover (administrators): the simulated host stops or resumes heartbeating.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { failHost, recoverHost } from "@/lib/engine/operations/host-operations";
import { getProvider } from "@/lib/engine/provider-registry";

const inputSchema = z.object({ name: z.string().min(1, "is required"), failed: z.boolean() });

export const simulateHostFailure = actionRequiring("simulator.injectFailures")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const operation = parsedInput.failed ? failHost : recoverHost;
    await operation(ctx.user, { name: parsedInput.name }, getProvider());
    revalidatePath("/objects/[uid]", "page");
  });
