"use server";
// Ends the current session and returns to the sign-in page.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth/auth";
import { actionClient } from "@/lib/actions/safe-action";

export const signOut = actionClient.action(async () => {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
});
