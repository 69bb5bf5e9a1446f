"use server";
// Administration › Namespaces › New Namespace: a namespace on a cluster with limits and allowances.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { namespaceFormSchema, toAllowances } from "@/lib/actions/namespaces/namespace-form-schema";
import { createNamespace as createInEngine } from "@/lib/engine/operations/namespace-operations";

export const createNamespace = actionRequiring("namespaces.manage")
  .inputSchema(namespaceFormSchema)
  .action(async ({ parsedInput: { name, cluster, ...allowances }, ctx }) => {
    const { object, taskId } = await createInEngine(ctx.user, { name, cluster, ...toAllowances(allowances) });
    revalidatePath("/admin/namespaces");
    return { uid: object.uid, taskId };
  });
