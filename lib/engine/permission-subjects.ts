// Whom a permission names (a namespace's or a folder's: a user, a group, a namespace's service
// account) and the checks every save of a list of them makes: each subject listed once, each one
// existing. Kube's group of all signed-in users counts as one for administrators only, so no owner
// opens what they own to everyone.
import { can } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import type { NamespacePermission } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { ALL_USERS_GROUP } from "@/lib/vocabulary/system-namespace";

/** Where each kind of subject is looked up, and what a missing one is called. */
const SUBJECTS: Record<NamespacePermission["kind"], { sql: string; noun: string }> = {
  User: { sql: `SELECT 1 FROM users WHERE username = $1`, noun: "user" },
  Group: { sql: `SELECT 1 FROM user_groups WHERE name = $1`, noun: "group" },
  ServiceAccount: { sql: `SELECT 1 FROM resources WHERE kind = 'ServiceAccount' AND name = $1 AND namespace = $2`, noun: "service account" },
};

/** Whom a permission names: a service account of the namespace itself names no namespace. */
export const subjectKey = (permission: Pick<NamespacePermission, "kind" | "name" | "namespace">) => `${permission.kind}/${permission.namespace ?? ""}/${permission.name}`;

/** Refuses a list that names one subject twice. */
export function assertListedOnce(permissions: Pick<NamespacePermission, "kind" | "name" | "namespace">[]): void {
  const subjects = new Set<string>();
  for (const permission of permissions) {
    const key = subjectKey(permission);
    if (subjects.has(key)) throw new InvalidInputError("permissions", `${SUBJECTS[permission.kind].noun.replace(/^./, (first) => first.toUpperCase())} ${permission.name} is listed twice; give each one role.`);
    subjects.add(key);
  }
}

/** Refuses a permission whose subject does not exist; a service account is looked up in `home`. */
export async function assertSubjectExists(db: Db, actor: OperationActor, permission: Pick<NamespacePermission, "kind" | "name">, home?: string): Promise<void> {
  if (permission.kind === "Group" && permission.name === ALL_USERS_GROUP && can(actor, "namespaces.manage")) return;
  const subject = SUBJECTS[permission.kind];
  const { rowCount } = await db.query(subject.sql, permission.kind === "ServiceAccount" ? [permission.name, home] : [permission.name]);
  if (!rowCount) throw new InvalidInputError("permissions", `There is no ${subject.noun} named "${permission.name}"${permission.kind === "ServiceAccount" ? ` in namespace ${home}` : ""}.`);
}
