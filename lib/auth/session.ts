// Who is asking: the signed-in user of the current request, checked on the server for every
// page, route handler and server action (never trusted from the proxy alone).
import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { can, readAccessScope, type AccessScope, type GlobalPermission } from "@/lib/auth/authorize";
import { REQUEST_PATH_HEADER } from "@/lib/auth/request-path";
import { readSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { NotAuthenticatedError } from "@/lib/errors";

export { readSessionUser, type SessionUser };

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // Reading the request first also marks every page that asks as dynamic, never prerendered.
  const requestHeaders = await headers();
  return readSessionUser(requestHeaders);
});

/** What the signed-in user may see (every object, or their namespaces' and what those use), once per request. */
export const getAccessScope = cache(async (): Promise<AccessScope> => {
  const user = await getSessionUser();
  if (!user) throw new NotAuthenticatedError();
  return readAccessScope(user);
});

/** For pages: the signed-in user, or a redirect to /login that comes back here afterwards. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) {
    const requested = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
    redirect(`/login?next=${encodeURIComponent(requested)}`);
  }
  return user;
}

/** For pages: the signed-in user if they hold the permission; otherwise the 403 page. */
export async function requirePermission(permission: GlobalPermission): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user, permission)) forbidden();
  return user;
}
