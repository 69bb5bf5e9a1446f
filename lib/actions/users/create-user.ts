"use server";
// Administration › Users › Add User.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { createUser as createUserInEngine } from "@/lib/users/user-admin";
import { createUserInputSchema } from "@/lib/users/user-schemas";

export const createUser = actionRequiring("users.manage")
  .inputSchema(createUserInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await createUserInEngine(ctx.user, parsedInput);
    revalidatePath("/admin/users");
  });
