"use client";
// A VM folder's Permissions tab: who holds which role on the folder, and through it on every folder
// and VM below it, as a vSphere permission propagates. Owners of the folder (there or above),
// administrators and operators change it; the save sends the resourceVersion the tab was loaded
// with. Below, read only, what it inherits from the folders above, each linked to where it is defined.
import { useAction } from "next-safe-action/hooks";
import { FolderPermissionRows, InheritedPermissionsHeader } from "@/components/permissions/inherited-permission-row";
import { PermissionsEditor, saveOutcome, subjectOptions } from "@/components/permissions/permissions-editor";
import { Table, TableBody } from "@/components/ui/table";
import { setFolderPermissions } from "@/lib/actions/folders/set-folder-permissions";
import { FOLDER_ROLE_TEXT } from "@/lib/auth/namespace-role-text";
import type { FolderPermission } from "@/lib/inventory/folder-rules";
import type { InheritedFolderPermissions } from "@/lib/inventory/folder-permission-reads";
import type { PermissionSubjects } from "@/lib/inventory/namespace-reads";

export function FolderPermissionsTab({
  folder,
  resourceVersion,
  permissions,
  inherited,
  canManage,
  subjects,
}: {
  folder: string;
  resourceVersion: string;
  /** Null when the reader sees the folder only as the path to one below it. */
  permissions: FolderPermission[] | null;
  inherited: InheritedFolderPermissions[];
  canManage: boolean;
  subjects: PermissionSubjects;
}) {
  const save = useAction(setFolderPermissions);
  return (
    <section aria-labelledby="permissions-heading" className="max-w-5xl space-y-3 p-6">
      <h2 id="permissions-heading" className="text-base font-semibold">
        Permissions
      </h2>
      {permissions === null ? (
        <p className="text-sm text-muted-foreground">You see {folder} as the path to a folder you hold a role on. Its permissions are shown to those who hold a role on it.</p>
      ) : !canManage && permissions.length === 0 ? (
        <p className="text-sm text-muted-foreground">No permissions are defined on {folder} itself.</p>
      ) : (
        <>
          <p className="text-sm text-muted-foreground">
            Administrators and operators can use every folder. A role given here holds on every folder and VM below {folder}; it gives a VM&apos;s lifecycle, never its namespace&apos;s settings,
            and VMs still count against their namespace&apos;s limits.
          </p>
          <PermissionsEditor
            objectName={folder}
            tableLabel="Folder permissions"
            subjectHeading="User/Group"
            addLabel="User or group to add"
            addPlaceholder="Add a user or group…"
            emptyText={inherited.length ? "No permissions are defined on this folder itself." : "Only administrators and operators can use this folder."}
            permissions={permissions}
            canManage={canManage}
            options={subjectOptions(subjects)}
            roleText={FOLDER_ROLE_TEXT}
            save={async (rows) => saveOutcome(await save.executeAsync({ name: folder, permissions: rows, expectedResourceVersion: resourceVersion }))}
          />
        </>
      )}
      {inherited.length > 0 && <InheritedPermissions inherited={inherited} />}
    </section>
  );
}

function InheritedPermissions({ inherited }: { inherited: InheritedFolderPermissions[] }) {
  return (
    <div className="space-y-2 pt-4">
      <h3 className="text-sm font-semibold">Inherited from the folders above</h3>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Inherited folder permissions">
          <InheritedPermissionsHeader />
          <TableBody>
            <FolderPermissionRows folders={inherited} />
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
