// Read model of a folder's Permissions tab: its own permissions, and those it inherits from the
// folders above it, each shown only to a reader who may read them (administrators and operators,
// and whoever holds a role on that folder); a folder seen only as the path to one below shows none.
import "server-only";
import type { AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { folderPermissionSchema, type FolderPermission } from "@/lib/inventory/folder-rules";

export const folderPermissionsOf = (spec: Record<string, unknown>): FolderPermission[] => {
  const parsed = folderPermissionSchema.array().safeParse(spec.permissions ?? []);
  return parsed.success ? parsed.data : [];
};

export interface InheritedFolderPermissions {
  uid: string;
  name: string;
  permissions: FolderPermission[];
}

/** Whether the reader may read the permissions of the folder `uid`. */
export const readsFolderPermissions = (scope: AccessScope, uid: string) => scope.all || scope.folders.has(uid);

/**
 * The permissions of the folder `uid` and of every folder above it that the reader may read, the
 * top folder first: what a VM in that folder, or a folder directly in it, inherits.
 */
export async function readFolderChainPermissions(uid: string | null, scope: AccessScope): Promise<InheritedFolderPermissions[]> {
  if (uid === null) return [];
  const { rows } = await getPool().query<{ uid: string; name: string; spec: Record<string, unknown> }>(
    `WITH RECURSIVE up AS (
       SELECT uid, spec, 0 AS depth FROM resources WHERE uid = $1::uuid AND kind = 'Folder'
       UNION ALL
       SELECT f.uid, f.spec, up.depth + 1 FROM resources f JOIN up ON f.uid::text = up.spec->>'parent' WHERE f.kind = 'Folder' AND up.depth < 64)
     SELECT f.uid::text, f.name, f.spec FROM up JOIN resources f USING (uid) ORDER BY up.depth DESC`,
    [uid],
  );
  return rows
    .filter((row) => readsFolderPermissions(scope, row.uid))
    .map((row) => ({ uid: row.uid, name: row.name, permissions: folderPermissionsOf(row.spec) }))
    .filter((folder) => folder.permissions.length > 0);
}
