"use server";
// New Namespace (self-service): a namespace within the cluster's template, owned by its creator.
// The engine checks the template's groups and maximums.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { selfServiceFormSchema, toLimits } from "@/lib/actions/namespaces/namespace-form-schema";
import { selfServiceNamespace as createInEngine } from "@/lib/engine/operations/namespace-operations";

export const selfServiceNamespace = authenticatedAction
  .inputSchema(selfServiceFormSchema)
  .action(async ({ parsedInput: { name, cluster, ...limits }, ctx }) => {
    // A limit left empty takes the template's default.
    const { object, taskId } = await createInEngine(ctx.user, { name, cluster, limits: toLimits(limits) });
    return { uid: object.uid, taskId };
  });
