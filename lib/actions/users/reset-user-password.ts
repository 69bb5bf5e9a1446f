"use server";
// Administration › Users › Reset Password.
import { actionRequiring } from "@/lib/actions/safe-action";
import { resetUserPassword as resetUserPasswordInEngine } from "@/lib/users/user-admin";
import { resetPasswordInputSchema } from "@/lib/users/user-schemas";

export const resetUserPassword = actionRequiring("users.manage")
  .inputSchema(resetPasswordInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await resetUserPasswordInEngine(ctx.user, parsedInput);
  });
