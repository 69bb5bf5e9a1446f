"use server";
// Administration › Groups › Delete.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { deleteGroup as deleteInStore } from "@/lib/users/group-admin";

export const deleteGroup = actionRequiring("users.manage")
  .inputSchema(z.object({ groupId: z.string().uuid() }))
  .action(async ({ parsedInput, ctx }) => {
    await deleteInStore(ctx.user, parsedInput.groupId);
    revalidatePath("/admin/groups");
  });
