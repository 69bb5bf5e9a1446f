"use server";
// Administration › Groups › New Group.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { createGroup as createInStore } from "@/lib/users/group-admin";
import { createGroupInputSchema } from "@/lib/users/group-schemas";

export const createGroup = actionRequiring("users.manage")
  .inputSchema(createGroupInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await createInStore(ctx.user, parsedInput);
    revalidatePath("/admin/groups");
  });
