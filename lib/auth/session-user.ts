// The signed-in user of a request, from its session cookie: for Next's pages and handlers through
// lib/auth/session.ts, and for the console server's own websocket routes (outside Next's bundle,
// so nothing here may be server-only).
import { getAuth } from "@/lib/auth/auth";
import { roleSchema, type Role } from "@/lib/auth/roles";

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: Role;
}

/**
 * The user of the session the headers' cookie names, or null when it has ended or its user is
 * disabled. `keepIdleExpiry` reads without counting as use (for a stream's periodic re-check).
 */
export async function readSessionUser(requestHeaders: Headers, { keepIdleExpiry = false } = {}): Promise<SessionUser | null> {
  const session = await getAuth().api.getSession({ headers: requestHeaders, query: keepIdleExpiry ? { disableRefresh: true } : undefined });
  if (!session || session.user.banned) return null;
  const role = roleSchema.safeParse(session.user.role);
  return {
    id: session.user.id,
    username: session.user.username ?? session.user.email,
    name: session.user.name,
    role: role.success ? role.data : "developer",
  };
}
