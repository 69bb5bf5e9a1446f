"use server";
// Namespace › Actions › Delete Namespace: the namespace and all its VMs, each a task. The engine
// decides who may (administrators, and the creator of a self-served namespace where its template allows).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { deleteNamespace as deleteInEngine } from "@/lib/engine/operations/namespace-operations";

export const deleteNamespace = authenticatedAction
  .inputSchema(z.object({ name: z.string().min(1, "is required").max(63, "must be at most 63 characters") }))
  .action(async ({ parsedInput: { name }, ctx }) => {
    const { taskId } = await deleteInEngine(ctx.user, { name });
    revalidatePath("/admin/namespaces");
    return { taskId };
  });
