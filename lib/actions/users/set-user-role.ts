"use server";
// Administration › Users › Change Role.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { setUserRole as setUserRoleInEngine } from "@/lib/users/user-admin";
import { setUserRoleInputSchema } from "@/lib/users/user-schemas";

export const setUserRole = actionRequiring("users.manage")
  .inputSchema(setUserRoleInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await setUserRoleInEngine(ctx.user, parsedInput);
    revalidatePath("/admin/users");
  });
