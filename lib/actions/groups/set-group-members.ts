"use server";
// Administration › Groups › Members: the users in a group.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { setGroupMembers as setInStore } from "@/lib/users/group-admin";
import { setGroupMembersInputSchema } from "@/lib/users/group-schemas";

export const setGroupMembers = actionRequiring("users.manage")
  .inputSchema(setGroupMembersInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await setInStore(ctx.user, parsedInput);
    revalidatePath("/admin/groups");
  });
