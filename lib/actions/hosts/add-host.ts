"use server";
// Cluster › Actions › Add Host: the wizard's Finish.
import { addHostInputSchema } from "@/lib/actions/hosts/add-host-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { addHost as addHostInEngine } from "@/lib/engine/operations/host-operations";
import { getProvider } from "@/lib/engine/provider-registry";

export const addHost = actionRequiring("inventory.operate")
  .inputSchema(addHostInputSchema)
  .action(async ({ parsedInput: { memoryGiB, ...host }, ctx }) => {
    const { object, taskId } = await addHostInEngine(ctx.user, { ...host, memoryMiB: memoryGiB * 1024 }, getProvider());
    return { uid: object.uid, taskId };
  });
