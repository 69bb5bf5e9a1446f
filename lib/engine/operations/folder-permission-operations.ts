// Folder › Permissions › Save: who holds which role on a VM folder, and through it on every folder
// and VM below it (lib/auth/folder-access.ts resolves them). Stored in the folder's spec, as a
// namespace's are in its: one resourceVersion guards the folder's name, place and permissions
// together (a save against a stale one is refused), the write takes the one path with its task and
// audit event, and the permissions go with the folder when it is deleted. Owners of the folder
// (there or above), administrators and operators change them (authorize.ts's managePermissions).
import type pg from "pg";
import { z } from "zod";
import { parsed, type FolderSpec } from "@/lib/engine/operations/folder-operations";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { InvalidInputError } from "@/lib/errors";
import { assertListedOnce, assertSubjectExists } from "@/lib/engine/permission-subjects";
import { FOLDER_PERMISSION_LIMIT, folderPermissionSchema, folderTypeOf } from "@/lib/inventory/folder-rules";

export const setFolderPermissionsInputSchema = z.object({
  name: z.string().min(1, "is required").max(80),
  permissions: z.array(folderPermissionSchema).max(FOLDER_PERMISSION_LIMIT, `must list at most ${FOLDER_PERMISSION_LIMIT} users and groups`),
  expectedResourceVersion: z.string().regex(/^\d{1,20}$/, "must be a resourceVersion"),
});

export async function setFolderPermissions(actor: OperationActor, input: z.input<typeof setFolderPermissionsInputSchema>, pool?: pg.Pool) {
  const request = parsed(setFolderPermissionsInputSchema, input);
  assertListedOnce(request.permissions);
  return writeObject<FolderSpec>({
    actor,
    authority: { verb: "managePermissions" },
    key: { kind: "Folder", namespace: "", name: request.name },
    expectedResourceVersion: request.expectedResourceVersion,
    operation: "Folder.setPermissions",
    description: `Change permissions of folder ${request.name}`,
    completesAtOnce: true,
    change: async (current, tx) => {
      // Who sees a host or cluster is decided by global role; a host folder has nothing to grant.
      if (folderTypeOf(current.spec) === "host") throw new InvalidInputError("permissions", `Folder "${request.name}" is a host folder: permissions are given on VM folders only.`);
      for (const permission of request.permissions) await assertSubjectExists(tx, actor, permission);
      return { spec: { ...current.spec, permissions: request.permissions } };
    },
    pool,
  });
}
