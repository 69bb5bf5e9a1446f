// One row of a Permissions tab's inherited roles, as the vSphere Client lists them: who, the role,
// the namespace or folder it is defined in (linked to that object's Permissions tab), propagated.
import Link from "next/link";
import { Shield } from "lucide-react";
import { PermissionSubject } from "@/components/namespaces/permission-subject";
import { Badge } from "@/components/ui/badge";
import { TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { FOLDER_ROLE_TEXT } from "@/lib/auth/namespace-role-text";
import type { NamespacePermission } from "@/lib/engine/schemas";
import type { InheritedFolderPermissions } from "@/lib/inventory/folder-permission-reads";

export function InheritedPermissionsHeader() {
  return (
    <TableHeader>
      <TableRow>
        <TableHead className="px-3">User/Group</TableHead>
        <TableHead className="px-3">Role</TableHead>
        <TableHead className="px-3">Defined in</TableHead>
        <TableHead className="px-3">Propagate</TableHead>
      </TableRow>
    </TableHeader>
  );
}

export function InheritedPermissionRow({
  permission,
  role,
  definedIn,
}: {
  permission: Pick<NamespacePermission, "kind" | "name" | "namespace">;
  role: { label: string; description: string };
  definedIn: { noun: "Namespace" | "Folder"; uid: string; name: string };
}) {
  return (
    <TableRow className="h-10">
      <TableCell className="px-3">
        <PermissionSubject kind={permission.kind} name={permission.name} namespace={permission.namespace} />
      </TableCell>
      <TableCell className="px-3">
        <span className="inline-flex items-center gap-2" title={role.description}>
          <Shield className="size-4 text-primary" aria-hidden />
          {role.label}
        </span>
      </TableCell>
      <TableCell className="px-3">
        {definedIn.noun}{" "}
        <Link href={`/objects/${definedIn.uid}/permissions`} className="text-primary underline underline-offset-2">
          {definedIn.name}
        </Link>
      </TableCell>
      <TableCell className="px-3">
        <Badge variant="secondary">Yes</Badge>
      </TableCell>
    </TableRow>
  );
}

/** The rows of what the folders above an object give, the top folder first. */
export function FolderPermissionRows({ folders }: { folders: InheritedFolderPermissions[] }) {
  return folders.flatMap((folder) =>
    folder.permissions.map((permission) => (
      <InheritedPermissionRow
        key={`${folder.uid}/${permission.kind}/${permission.name}`}
        permission={permission}
        role={FOLDER_ROLE_TEXT[permission.role]}
        definedIn={{ noun: "Folder", uid: folder.uid, name: folder.name }}
      />
    )),
  );
}
