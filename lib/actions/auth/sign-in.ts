"use server";
// Signs in with username and password, then returns to the page first asked for. A form action
// (the form posts it even without JavaScript): a refusal comes back as the form's state.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/request-path";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { actionClient } from "@/lib/actions/safe-action";
import { signInFormDataSchema, type SignInRefused } from "@/lib/actions/auth/sign-in-schema";
import { clientAddressOf } from "@/lib/http/client-address";

export const signIn = actionClient.inputSchema(signInFormDataSchema).stateAction(async ({ parsedInput }): Promise<SignInRefused> => {
  const requestHeaders = await headers();
  const outcome = await signInWithPassword({
    username: parsedInput.username,
    password: parsedInput.password,
    address: clientAddressOf(requestHeaders),
    headers: requestHeaders,
  });
  if (!outcome.signedIn) return { message: outcome.message, username: parsedInput.username };
  redirect(safeNextPath(parsedInput.next));
});
