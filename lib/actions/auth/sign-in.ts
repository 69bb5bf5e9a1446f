"use server";
// Signs in with username and password, then returns to the page first asked for.
import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { DISABLED_USER_MESSAGE, getAuth } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/auth/request-path";
import { actionClient } from "@/lib/actions/safe-action";
import { signInInputSchema } from "@/lib/actions/auth/sign-in-schema";
import { UserFacingError } from "@/lib/errors";

export const signIn = actionClient.inputSchema(signInInputSchema).action(async ({ parsedInput }) => {
  try {
    await getAuth().api.signInUsername({
      body: { username: parsedInput.username.toLowerCase(), password: parsedInput.password },
      headers: await headers(),
    });
  } catch (error) {
    if (error instanceof APIError) {
      // One message for unknown user and wrong password, so sign-in reveals nothing else.
      if (error.statusCode === 429) throw new UserFacingError("Too many sign-in attempts from your address. Wait a minute and try again.");
      if (error.body?.code === "BANNED_USER") throw new UserFacingError(DISABLED_USER_MESSAGE);
      if (error.statusCode >= 400 && error.statusCode < 500) throw new UserFacingError("Incorrect username or password.");
    }
    throw error;
  }
  redirect(safeNextPath(parsedInput.next));
});
