// The Permissions tab of objects other than namespaces: who can do what on this object, as the
// vSphere Client lists it. Only the global roles hold here, defined on all objects.
import { ShieldCheck, User } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";
import type { InventoryAccessRow } from "@/lib/users/inventory-access";

export function PermissionsTab({ rows }: { rows: InventoryAccessRow[] }) {
  return (
    <section aria-labelledby="permissions-heading" className="max-w-5xl space-y-3 p-6">
      <h2 id="permissions-heading" className="text-base font-semibold">
        Permissions
      </h2>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Permissions">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">User/Group</TableHead>
              <TableHead className="px-3">Role</TableHead>
              <TableHead className="px-3">Defined in</TableHead>
              <TableHead className="px-3">Propagate</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
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
          </TableBody>
        </Table>
      </div>
      <p className="text-sm text-muted-foreground">
        Developers do not appear here: they see only the namespaces they may use, and each namespace&apos;s Permissions tab lists
        who may use it.
      </p>
    </section>
  );
}
