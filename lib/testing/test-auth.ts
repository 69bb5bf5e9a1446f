// Helpers for tests that sign in for real through better-auth and carry the session cookie.
import { getAuth } from "@/lib/auth/auth";

export async function signInAs(username: string, password: string): Promise<Headers> {
  const { headers } = await getAuth().api.signInUsername({ body: { username, password }, returnHeaders: true });
  const cookie = headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  return new Headers({ cookie });
}

export async function sessionUsername(headers: Headers): Promise<string | null> {
  const session = await getAuth().api.getSession({ headers });
  return session?.user.username ?? null;
}
