// Impersonation (`kubectl --as=dev --as-group=developers`): the Impersonate-User, -Group, -Uid and
// -Extra-* headers, honoured for administrators only (kube's `impersonate` verb), so a request then
// runs entirely as that user — authorization, lists, watches, pod streams, field managers — and a
// write's task and audit event name both ("admin as dev"). Everyone else, a host agent, an unknown
// or disabled user, a host agent's identity (system:node:*) and a group the user is not in are
// refused with kube-apiserver's Forbidden, before anything else about the request is read. Skylight
// decides by a user's own memberships, so a group is accepted only if it is one the user holds
// (kube-identity.ts), never one that would grant more.
import type { IncomingMessage } from "node:http";
import { can, type UserActor } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { isPrototypeKey } from "@/lib/http/untrusted-input";
import { tokenHolder } from "@/lib/kube/token-holders";
import { badRequest, forbidden, KubeApiError, unauthorized } from "@/lib/kube/api-status";
import { actorForTokenUser } from "@/lib/kube/kube-access";
import { NODE_USER_PREFIX, userInfoOf, userNamed } from "@/lib/kube/kube-identity";

export interface Impersonation {
  user: string;
  groups: string[];
  uid: string | null;
  /** Impersonate-Extra-<key> values by key: they grant nothing in Skylight; whoami shows them, as kube's does. */
  extra: Record<string, string[]>;
}

const EXTRA_PREFIX = "impersonate-extra-";

/** Whether the request sends any Impersonate-* header (read from the raw headers: every request asks, and almost none does). */
export function asksToImpersonate(request: IncomingMessage): boolean {
  for (let index = 0; index < request.rawHeaders.length; index += 2) if (/^impersonate-/i.test(request.rawHeaders[index]!)) return true;
  return false;
}

function decodedExtraKey(name: string): string {
  let key: string;
  try {
    key = decodeURIComponent(name.slice(EXTRA_PREFIX.length));
  } catch {
    throw badRequest(`${name}: the key after Impersonate-Extra- must be percent-encoded`);
  }
  if (isPrototypeKey(key)) throw badRequest(`${name}: ${key} cannot be an extra attribute's key`);
  return key;
}

/** What the request's Impersonate-* headers ask for; 400 naming the header when they are malformed. */
export function impersonationOf(request: IncomingMessage): Impersonation {
  const headers = request.headersDistinct;
  const names = Object.keys(headers).filter((name) => name.startsWith("impersonate-"));
  const users = headers["impersonate-user"] ?? [];
  const uids = headers["impersonate-uid"] ?? [];
  if (users.length !== 1 || users[0]!.trim() === "") throw badRequest("Impersonate-User: must name exactly one user whenever an Impersonate-* header is sent");
  if (uids.length > 1) throw badRequest("Impersonate-Uid: may be sent at most once");
  const unknown = names.find((name) => !["impersonate-user", "impersonate-group", "impersonate-uid"].includes(name) && !name.startsWith(EXTRA_PREFIX));
  if (unknown) throw badRequest(`${unknown}: not an impersonation header (Impersonate-User, -Group, -Uid, -Extra-<key>)`);
  const extra: Record<string, string[]> = {};
  for (const name of names) if (name.startsWith(EXTRA_PREFIX)) extra[decodedExtraKey(name)] = headers[name]!;
  return { user: users[0]!, groups: headers["impersonate-group"] ?? [], uid: uids[0] ?? null, extra };
}

/** kube-apiserver's refusal: `users "dev" is forbidden: User "olivia" cannot impersonate resource "users" in API group "" at the cluster scope`. */
const refuse = (by: UserActor, resource: "users" | "groups" | "uids" | "userextras", name: string, why: string) =>
  forbidden(by.username, "impersonate", { group: resource === "uids" || resource === "userextras" ? "authentication.k8s.io" : "", plural: resource, kind: resource, name }, undefined, why);

/** Everyone but administrators (and every host agent), whatever the headers say, before they are parsed. */
export const refuseNonAdministrator = (by: UserActor, user: string) => refuse(by, "users", user, "only administrators may act as another user");

/**
 * The user an administrator acts as when asking for `wanted`: throws kube's Forbidden unless
 * `wanted` is an enabled Skylight user, with any groups and uid the user really has.
 */
export async function impersonatedActor(db: Db, by: UserActor, wanted: Impersonation): Promise<UserActor> {
  if (wanted.user.startsWith(NODE_USER_PREFIX)) throw refuse(by, "users", wanted.user, "a host agent's identity cannot be impersonated");
  const target = await userNamed(db, wanted.user);
  if (!target) throw refuse(by, "users", wanted.user, "there is no enabled Skylight user of that name");
  if (wanted.uid !== null && wanted.uid !== target.id) throw refuse(by, "uids", wanted.uid, `it is not the uid of ${target.username}`);
  if (wanted.groups.length > 0) {
    const held = new Set((await userInfoOf(db, target)).groups);
    const foreign = wanted.groups.find((group) => !held.has(group));
    if (foreign !== undefined) throw refuse(by, "groups", foreign, `${target.username} is not in that group, and Skylight decides by a user's own groups`);
  }
  return { ...target, impersonatedBy: by.username };
}

/** A caller of the API, as kube-server.ts and the pod streams know one. */
export interface ImpersonatingCaller {
  actor: UserActor;
  /** Set for a host agent, which never impersonates. */
  host: unknown;
  /** What the caller's headers asked to act as; the actor is then that user. */
  impersonation?: Impersonation | null;
}

/** The caller as it asked to act: itself without Impersonate-* headers, else the user it may act as (or kube's Forbidden). */
export async function withImpersonation<C extends ImpersonatingCaller>(db: Db, request: IncomingMessage, caller: C): Promise<C> {
  if (!asksToImpersonate(request)) return caller;
  if (caller.host || !can(caller.actor, "users.manage")) throw refuseNonAdministrator(caller.actor, request.headersDistinct["impersonate-user"]?.[0] ?? "");
  const impersonation = impersonationOf(request);
  return { ...caller, actor: await impersonatedActor(db, caller.actor, impersonation), impersonation };
}

/**
 * Who an open watch or stream acts as now: its token's user, or the user it impersonates while the
 * token's user still may; a KubeApiError (401, 403) when that has ended.
 */
export async function currentActor(db: Db, caller: { token: string; impersonation?: Impersonation | null }): Promise<UserActor | KubeApiError> {
  const user = await tokenHolder(db, caller.token, { touch: false });
  if (!user) return unauthorized();
  const actor = actorForTokenUser(user);
  if (!caller.impersonation) return actor;
  try {
    return can(actor, "users.manage") ? await impersonatedActor(db, actor, caller.impersonation) : refuseNonAdministrator(actor, caller.impersonation.user);
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
}
