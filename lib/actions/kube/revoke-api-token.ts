"use server";
// Profile › API tokens › Revoke: one's own token, or anyone's for administrators.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { revokeToken } from "@/lib/users/api-token-admin";

export const revokeApiToken = authenticatedAction.inputSchema(z.object({ id: z.uuid() })).action(async ({ parsedInput, ctx }) => {
  await revokeToken(ctx.user, parsedInput.id);
  revalidatePath("/profile");
});
