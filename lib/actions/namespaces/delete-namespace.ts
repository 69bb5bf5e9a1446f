"use server";
// Namespace › Actions › Delete Namespace: the namespace and all its VMs, each a task.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteNamespace as deleteInEngine } from "@/lib/engine/operations/namespace-operations";

export const deleteNamespace = actionRequiring("namespaces.manage")
  .inputSchema(z.object({ name: z.string().min(1, "is required") }))
  .action(async ({ parsedInput: { name }, ctx }) => {
    const { taskId } = await deleteInEngine(ctx.user, { name });
    revalidatePath("/admin/namespaces");
    return { taskId };
  });
