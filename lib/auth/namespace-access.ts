// Which namespaces a user may use and with which role (directly or through a group), and which
// infrastructure objects those namespaces use. lib/auth/authorize.ts decides with these facts;
// nothing else reads namespace permissions.
import type { Db } from "@/lib/db/pool";
import type { NamespaceRole } from "@/lib/engine/schemas";
import { SERVICE_ACCOUNT_USER_PREFIX } from "@/lib/vocabulary/service-account-names";
import { ALL_USERS_GROUP } from "@/lib/vocabulary/system-namespace";

const RANKS: Record<NamespaceRole, number> = { view: 1, edit: 2, owner: 3 };
const BY_RANK: NamespaceRole[] = ["view", "view", "edit", "owner"];

/** The higher of two roles; undefined only when neither is given. */
export function higherRole(a: NamespaceRole | undefined, b: NamespaceRole | undefined): NamespaceRole | undefined {
  if (!a || !b) return a ?? b;
  return RANKS[a] >= RANKS[b] ? a : b;
}

export const roleOfRank = (rank: number): NamespaceRole => BY_RANK[rank] ?? "view";

/**
 * SQL shared by every query that resolves permissions (a namespace's, a folder's) for one user,
 * with the user's id as $1, username as $2 and kube's group of all signed-in users as $3: the
 * user's groups (a CTE), whether the permission element `p` names the user or one of their
 * groups, and its role as a rank (view 1, edit 2, owner 3).
 */
export const MY_GROUPS_SQL = `my_groups AS (SELECT g.name FROM user_groups g JOIN user_group_members m ON m.group_id = g.id WHERE m.user_id = $1)`;
export const NAMES_USER_OR_GROUP_SQL = `((p->>'kind' = 'User' AND p->>'name' = $2) OR (p->>'kind' = 'Group' AND (p->>'name' = $3 OR p->>'name' IN (SELECT name FROM my_groups))))`;
export const PERMISSION_RANK_SQL = `CASE p->>'role' WHEN 'owner' THEN 3 WHEN 'edit' THEN 2 ELSE 1 END`;

export function roleAtLeast(role: NamespaceRole | undefined, wanted: NamespaceRole): boolean {
  return role !== undefined && RANKS[role] >= RANKS[wanted];
}

export interface NamespaceGrant {
  role: NamespaceRole;
  /** The namespace's identity: a later namespace of the same name is another one. */
  uid: string;
}

/**
 * The actor's role in each namespace that grants them one, by name; the highest when several
 * permissions apply. A ServiceAccount permission names a service account of that same namespace, or of
 * the one its `namespace` names. Groups are resolved in the same query, so a membership change holds from the
 * next request; the group system:authenticated holds everyone, as in Kubernetes.
 */
export async function readNamespaceGrants(db: Db, user: { id: string; username: string }, namespace?: string): Promise<Map<string, NamespaceGrant>> {
  const { rows } = await db.query<{ name: string; uid: string; rank: number }>(
    `WITH ${MY_GROUPS_SQL}
     SELECT n.name, n.uid::text, max(${PERMISSION_RANK_SQL})::int AS rank
       FROM resources n CROSS JOIN LATERAL jsonb_array_elements(COALESCE(n.spec->'permissions', '[]'::jsonb)) AS p
      WHERE n.kind = 'Namespace' AND n.namespace = '' AND ($4::text IS NULL OR n.name = $4)
        AND (${NAMES_USER_OR_GROUP_SQL}
          OR (p->>'kind' = 'ServiceAccount' AND $2 = $5 || COALESCE(p->>'namespace', n.name) || ':' || (p->>'name')))
      GROUP BY n.name, n.uid`,
    [user.id, user.username, ALL_USERS_GROUP, namespace ?? null, SERVICE_ACCOUNT_USER_PREFIX],
  );
  return new Map(rows.map((row) => [row.name, { role: roleOfRank(row.rank), uid: row.uid }]));
}

/** The actor's role in each namespace that grants them one. */
export async function readNamespaceRoles(db: Db, user: { id: string; username: string }, namespace?: string): Promise<Map<string, NamespaceRole>> {
  return new Map([...(await readNamespaceGrants(db, user, namespace))].map(([name, grant]) => [name, grant.role]));
}

/**
 * Every cluster-scoped object the namespaces (by uid) use, as "Kind/name" → uid: their clusters, and the VM
 * classes, images and datastores they allow (all of a kind when a namespace does not restrict it;
 * for datastores, all of its cluster's).
 */
export async function readUsedInfrastructure(db: Db, namespaceUids: string[]): Promise<Map<string, string>> {
  if (namespaceUids.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; uid: string }>(
    `WITH ns AS (SELECT spec FROM resources WHERE kind = 'Namespace' AND namespace = '' AND uid = ANY($1::uuid[]))
     SELECT r.kind || '/' || r.name AS key, r.uid::text FROM resources r
      WHERE r.namespace = '' AND (
        (r.kind = 'Cluster' AND r.name IN (SELECT spec->>'cluster' FROM ns))
        OR (r.kind = 'Datastore' AND EXISTS (SELECT 1 FROM ns WHERE CASE WHEN ns.spec ? 'storageClasses' THEN ns.spec->'storageClasses' ? r.name
                                                                        ELSE r.labels->>'skylight.io/cluster' = ns.spec->>'cluster' END))
        OR (r.kind = 'VirtualMachineClass' AND EXISTS (SELECT 1 FROM ns WHERE NOT ns.spec ? 'vmClasses' OR ns.spec->'vmClasses' ? r.name))
        OR (r.kind = 'VirtualMachineImage' AND EXISTS (SELECT 1 FROM ns WHERE NOT ns.spec ? 'images' OR ns.spec->'images' ? r.name)))`,
    [namespaceUids],
  );
  return new Map(rows.map((row) => [row.key, row.uid]));
}

export interface SelfServedNamespace {
  /** The user who created it through the template. */
  creatorId: string;
  cluster: string;
  /** What the cluster's template says now; a template removed since forbids nothing. */
  ownersMayDelete: boolean;
}

/** Who created the namespace through a self-service template, or null when it was not self-served. */
export async function readSelfServedNamespace(db: Db, namespace: string): Promise<SelfServedNamespace | null> {
  const { rows } = await db.query<SelfServedNamespace>(
    `SELECT s.user_id AS "creatorId", s.cluster, COALESCE(t.owners_may_delete, true) AS "ownersMayDelete"
       FROM resources n JOIN self_served_namespaces s ON s.namespace_uid = n.uid LEFT JOIN namespace_templates t ON t.cluster = s.cluster
      WHERE n.kind = 'Namespace' AND n.namespace = '' AND n.name = $1`,
    [namespace],
  );
  return rows[0] ?? null;
}
