// The Permissions tab of objects other than namespaces and folders: who can do what on this object,
// as the vSphere Client lists it: the global roles, defined on all objects, for an object inside a
// namespace the namespace's roles, and for a VM in a folder the roles of that folder and those above.
import { ShieldCheck, User } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { FolderPermissionRows, InheritedPermissionRow, InheritedPermissionsHeader } from "@/components/permissions/inherited-permission-row";
import { NAMESPACE_ROLE_TEXT } from "@/lib/auth/namespace-role-text";
import type { InheritedFolderPermissions } from "@/lib/inventory/folder-permission-reads";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";
import type { NamespaceAccess } from "@/lib/inventory/namespace-reads";
import type { InventoryAccessRow } from "@/lib/users/inventory-access";

/** `folders`: the permissions of the VM folders above the object (a VM's folder and those holding it), top first. */
export function PermissionsTab({ rows, namespace, folders }: { rows: InventoryAccessRow[]; namespace: NamespaceAccess | null; folders: InheritedFolderPermissions[] }) {
  return (
    <section aria-labelledby="permissions-heading" className="max-w-5xl space-y-3 p-6">
      <h2 id="permissions-heading" className="text-base font-semibold">
        Permissions
      </h2>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Permissions">
          <InheritedPermissionsHeader />
          <TableBody>
            {rows.length === 0 && !namespace?.permissions.length && folders.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={4} className="h-24 text-center text-muted-foreground">
                  No enabled administrator or operator holds a role on this object.
                </TableCell>
              </TableRow>
            )}
            {rows.map((row) => (
              <TableRow key={row.username} className="h-10">
                <TableCell className="px-3">
                  <span className="inline-flex items-center gap-2">
                    <User className="size-4 text-muted-foreground" aria-hidden />
                    <span className="font-medium">{row.username}</span>
                    <span className="text-muted-foreground">({row.name})</span>
                  </span>
                </TableCell>
                <TableCell className="px-3">
                  <span className="inline-flex items-center gap-2" title={ROLE_DESCRIPTIONS[row.role]}>
                    <ShieldCheck className="size-4 text-primary" aria-hidden />
                    {ROLE_LABELS[row.role]}
                  </span>
                </TableCell>
                <TableCell className="px-3 text-muted-foreground">Global (all objects)</TableCell>
                <TableCell className="px-3">
                  <Badge variant="secondary">Yes</Badge>
                </TableCell>
              </TableRow>
            ))}
            {namespace?.permissions.map((permission) => (
              <InheritedPermissionRow
                key={`${permission.kind}/${permission.namespace ?? ""}/${permission.name}`}
                permission={permission}
                role={NAMESPACE_ROLE_TEXT[permission.role]}
                definedIn={{ noun: "Namespace", uid: namespace.uid, name: namespace.name }}
              />
            ))}
            <FolderPermissionRows folders={folders} />
          </TableBody>
        </Table>
      </div>
      <p className="text-sm text-muted-foreground">
        {namespace
          ? "Roles defined on a namespace hold on every object in it; they are changed on the namespace's Permissions tab."
          : "Developers do not appear here: they see only the namespaces they may use, and each namespace's Permissions tab lists who may use it."}
      </p>
    </section>
  );
}
