// Which VM folders a user holds a role on, and which they see, from the permissions in the folders'
// specs: a permission on a folder holds on every folder below it at any depth, as a vSphere
// permission propagates. A user's role on a folder is the highest of the permissions naming them
// (directly or through a group) on it and on every folder above it. The folders above a granted one
// are seen as the path down to it, nothing more. One recursive query per request;
// lib/auth/authorize.ts decides with these facts.
import type { Db } from "@/lib/db/pool";
import type { NamespaceRole } from "@/lib/engine/schemas";
import { MY_GROUPS_SQL, NAMES_USER_OR_GROUP_SQL, PERMISSION_RANK_SQL, roleOfRank } from "@/lib/auth/namespace-access";
import { ALL_USERS_GROUP } from "@/lib/vocabulary/system-namespace";

export interface SeenFolder {
  name: string;
  datacenter: string;
  /** The user's role on it; absent for a folder seen only as the path to one below it. */
  role?: NamespaceRole;
}

/** Folder nesting is bounded by Move To; the bound only keeps a damaged row from looping. */
const MAX_DEPTH = 64;

/** Every folder the user sees, by uid; empty for someone no folder names. */
export async function readSeenFolders(db: Db, user: { id: string; username: string }): Promise<Map<string, SeenFolder>> {
  const { rows } = await db.query<{ uid: string; name: string; datacenter: string; rank: number | null }>(
    `WITH RECURSIVE ${MY_GROUPS_SQL},
     granted AS (
       SELECT f.uid, max(${PERMISSION_RANK_SQL}) AS rank
         FROM resources f CROSS JOIN LATERAL jsonb_array_elements(COALESCE(f.spec->'permissions', '[]'::jsonb)) AS p
        WHERE f.kind = 'Folder' AND ${NAMES_USER_OR_GROUP_SQL}
        GROUP BY f.uid),
     below AS (
       SELECT uid, rank, 0 AS depth FROM granted
       UNION ALL
       SELECT f.uid, below.rank, below.depth + 1 FROM resources f JOIN below ON f.spec->>'parent' = below.uid::text
        WHERE f.kind = 'Folder' AND below.depth < ${MAX_DEPTH}),
     above AS (
       SELECT (f.spec->>'parent')::uuid AS uid, 0 AS depth FROM resources f JOIN granted USING (uid) WHERE f.spec->>'parent' IS NOT NULL
       UNION ALL
       SELECT (f.spec->>'parent')::uuid, above.depth + 1 FROM resources f JOIN above ON f.uid = above.uid
        WHERE f.kind = 'Folder' AND f.spec->>'parent' IS NOT NULL AND above.depth < ${MAX_DEPTH}),
     seen AS (SELECT uid, max(rank) AS rank FROM below GROUP BY uid UNION ALL SELECT DISTINCT uid, NULL::int FROM above)
     SELECT f.uid::text, f.name, f.spec->>'datacenter' AS datacenter, max(seen.rank)::int AS rank
       FROM seen JOIN resources f ON f.uid = seen.uid AND f.kind = 'Folder'
      GROUP BY f.uid, f.name, f.spec->>'datacenter'`,
    [user.id, user.username, ALL_USERS_GROUP],
  );
  return new Map(rows.map((row) => [row.uid, { name: row.name, datacenter: row.datacenter, ...(row.rank !== null && { role: roleOfRank(row.rank) }) }]));
}
