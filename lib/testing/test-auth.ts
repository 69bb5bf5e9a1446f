// Helpers for tests that sign in for real through better-auth and carry the session cookie.
import { getAuth } from "@/lib/auth/auth";
import type { Role } from "@/lib/auth/roles";
import { createUser } from "@/lib/users/user-admin";

export async function signInAs(username: string, password: string): Promise<Headers> {
  const { headers } = await getAuth().api.signInUsername({ body: { username, password }, returnHeaders: true });
  const cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return new Headers({ cookie });
}

export async function sessionUsername(headers: Headers): Promise<string | null> {
  const session = await getAuth().api.getSession({ headers });
  return session?.user.username ?? null;
}

/** Creates each user with its role and the same password, and signs each in: their session headers by username. */
export async function signedInUsers(password: string, users: readonly (readonly [username: string, role: Role])[]): Promise<Record<string, Headers>> {
  const sessions: Record<string, Headers> = {};
  for (const [username, role] of users) {
    await createUser("system", { username, name: username, role, password });
    sessions[username] = await signInAs(username, password);
  }
  return sessions;
}
