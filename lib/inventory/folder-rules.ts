// What a folder may be, shared by the folder dialogs and the engine, so the form refuses in the
// same words the engine does: its name, and its type — a VM folder (VMs and Templates view) holds
// VMs, a host folder (Hosts and Clusters view) holds clusters, and each holds subfolders of its
// own type only, as in the vSphere Client.
import { z } from "zod";
import { namespaceRoleSchema } from "@/lib/engine/schemas";

export const FOLDER_NAME_MAX = 80;

export const folderNameSchema = z
  .string()
  .trim()
  .min(1, "Folder name is required.")
  .max(FOLDER_NAME_MAX, `Folder name must be at most ${FOLDER_NAME_MAX} characters.`)
  .regex(/^[^/\\%]*$/, "Folder name must not contain / \\ or %.");

/** The most VMs one Move To Folder moves, so one request bounds the work it causes. */
export const FOLDER_MOVE_LIMIT = 500;

/**
 * Who holds a role on a folder: a user (by username) or a group, with a namespace's roles (view,
 * edit, owner), holding on every folder and VM below it. No service accounts: they act through the
 * Kubernetes API, where folder permissions do not apply.
 */
export const folderPermissionSchema = z.strictObject({
  kind: z.enum(["User", "Group"], { error: "must be User or Group: folder permissions name users and groups" }),
  name: z.string().min(1, "is required").max(253, "must be at most 253 characters"),
  role: namespaceRoleSchema,
});
export type FolderPermission = z.infer<typeof folderPermissionSchema>;

/** The most permissions one folder holds, so one save bounds the lookups it causes. */
export const FOLDER_PERMISSION_LIMIT = 200;

export const FOLDER_TYPES = ["vm", "host"] as const;
export type FolderType = (typeof FOLDER_TYPES)[number];

export const folderTypeSchema = z.enum(FOLDER_TYPES, { error: 'must be "vm" (a VM and Template folder) or "host" (a Host and Cluster folder)' });

/** Folders made before host folders carry no type: they are VM folders. */
export function folderTypeOf(spec: Record<string, unknown> | { type?: FolderType }): FolderType {
  return (spec as { type?: unknown }).type === "host" ? "host" : "vm";
}

/** The same default in SQL, for a folder row aliased `alias`. */
export const folderTypeSql = (alias: string) => `COALESCE(${alias}.spec->>'type', 'vm')`;

export const FOLDER_TYPE_WORDS: Record<FolderType, { folder: string; holds: string }> = {
  vm: { folder: "VM folder", holds: "VMs and VM folders" },
  host: { folder: "host folder", holds: "clusters and host folders" },
};
