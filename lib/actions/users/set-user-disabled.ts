"use server";
// Administration › Users › Disable / Enable. Disabling ends the user's sessions at once.
import { revalidatePath } from "next/cache";
import { actionRequiring } from "@/lib/actions/safe-action";
import { setUserDisabled as setUserDisabledInEngine } from "@/lib/users/user-admin";
import { setUserDisabledInputSchema } from "@/lib/users/user-schemas";

export const setUserDisabled = actionRequiring("users.manage")
  .inputSchema(setUserDisabledInputSchema)
  .action(async ({ parsedInput, ctx }) => {
    await setUserDisabledInEngine(ctx.user, parsedInput);
    revalidatePath("/admin/users");
  });
