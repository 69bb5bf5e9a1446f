// Who a caller of the Kubernetes API is, as kube's UserInfo says it (username, uid, groups), for
// `kubectl auth whoami` and for SubjectAccessReviews: the groups tell the truth about what
// Skylight decides by — every user is system:authenticated, holds one global role
// (skylight:administrators, skylight:operators or skylight:developers) and is in the Skylight
// groups a namespace's permissions may name; a service account is in system:serviceaccounts and
// system:serviceaccounts:<namespace> (and no role group: it holds no global role); a host agent is
// in system:nodes. Users are found by the name the rules know them by (lib/auth/authorize.ts actorForUser).
import { actorForUser, type UserActor } from "@/lib/auth/authorize";
import type { Role } from "@/lib/auth/roles";
import type { Db } from "@/lib/db/pool";
import { liveServiceAccount } from "@/lib/kube/service-account-tokens";
import { serviceAccountGroups, serviceAccountOf } from "@/lib/vocabulary/service-account-names";

export interface KubeUserInfo {
  username: string;
  uid: string;
  groups: string[];
}

export const AUTHENTICATED_GROUP = "system:authenticated";
export const NODES_GROUP = "system:nodes";
/** A host agent's user name: system:node:<host>, as kubelets are named. */
export const NODE_USER_PREFIX = "system:node:";
export const roleGroup = (role: Role) => `skylight:${role}s`;

/** The Skylight groups (user_groups) the user is a member of, by name. */
async function memberships(db: Db, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT g.name FROM user_groups g JOIN user_group_members m ON m.group_id = g.id WHERE m.user_id = $1 ORDER BY g.name`, [userId]);
  return rows.map((row) => row.name);
}

/** A user's or service account's UserInfo. */
export async function userInfoOf(db: Db, actor: UserActor): Promise<KubeUserInfo> {
  const account = serviceAccountOf(actor.username);
  if (account) return { username: actor.username, uid: actor.id, groups: [...serviceAccountGroups(account.namespace), AUTHENTICATED_GROUP] };
  return { username: actor.username, uid: actor.id, groups: [roleGroup(actor.role), ...(await memberships(db, actor.id)), AUTHENTICATED_GROUP] };
}

/** A host agent's UserInfo. */
export const hostUserInfo = (actor: UserActor): KubeUserInfo => ({ username: actor.username, uid: actor.id, groups: [NODES_GROUP, AUTHENTICATED_GROUP] });

/**
 * The enabled user with this user name, or the service account a system:serviceaccount:<ns>:<name>
 * names (as its token acts), or null (a disabled or unknown one, or an account being deleted).
 */
export async function userNamed(db: Db, username: string): Promise<UserActor | null> {
  const account = serviceAccountOf(username);
  if (account) {
    const live = await liveServiceAccount(db, account);
    return live ? { id: live.uid, username, role: "developer" } : null;
  }
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE COALESCE(username, email) = $1`, [username]);
  return rows[0] ? actorForUser(rows[0].id, db) : null;
}
