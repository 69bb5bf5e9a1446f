"use server";
// Administration › Self-Service › Remove: the cluster offers no self-service namespaces any more.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteTemplate as deleteInStore } from "@/lib/namespaces/template-admin";

export const deleteTemplate = actionRequiring("namespaces.manage")
  .inputSchema(z.object({ cluster: z.string().min(1) }))
  .action(async ({ parsedInput, ctx }) => {
    await deleteInStore(ctx.user, parsedInput.cluster);
    revalidatePath("/admin/self-service");
  });
