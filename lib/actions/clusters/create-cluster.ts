"use server";
// Datacenter › Actions › New Cluster: the dialog's Create.
import { createClusterInputSchema } from "@/lib/actions/clusters/new-cluster-schema";
import { actionRequiring } from "@/lib/actions/safe-action";
import { createCluster as createClusterInEngine } from "@/lib/engine/operations/cluster-operations";

export const createCluster = actionRequiring("inventory.operate")
  .inputSchema(createClusterInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    const { object, taskId } = await createClusterInEngine(ctx.user, parsedInput);
    return { uid: object.uid, taskId };
  });
