// Administration › Namespaces: each namespace's cluster, limits, restrictions, VMs and who may use it.
import Link from "next/link";
import { formatGiB, formatMiB } from "@/components/objects/summary/summary-parts";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { NamespaceAdminRow } from "@/lib/inventory/namespace-admin-reads";

/** How a permission's subject reads in the list: a user by name alone. */
const SUBJECT_PREFIXES = { User: "", Group: "group ", ServiceAccount: "service account " } as const;

const limit = (value: number | undefined, format: (value: number) => string) => (value === undefined ? <span className="text-muted-foreground">No limit</span> : format(value));

export function NamespacesTable({ namespaces }: { namespaces: NamespaceAdminRow[] }) {
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface">
      <Table aria-label="Namespaces">
        <TableHeader>
          <TableRow>
            <TableHead className="px-3">Name</TableHead>
            <TableHead className="px-3">Cluster</TableHead>
            <TableHead className="px-3 text-right">CPU</TableHead>
            <TableHead className="px-3 text-right">Memory</TableHead>
            <TableHead className="px-3 text-right">Storage</TableHead>
            <TableHead className="px-3">Restricted to a list</TableHead>
            <TableHead className="px-3 text-right">VMs</TableHead>
            <TableHead className="px-3">Permissions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {namespaces.map((namespace) => (
            <TableRow key={namespace.uid} className="h-11">
              <TableCell className="px-3">
                <Link href={`/objects/${namespace.uid}`} className="font-medium text-primary underline-offset-4 hover:underline">
                  {namespace.name}
                </Link>
                {namespace.deleting && (
                  <Badge variant="destructive" className="ml-2">
                    Being deleted
                  </Badge>
                )}
              </TableCell>
              <TableCell className="px-3">{namespace.cluster ?? <span className="text-muted-foreground">None (system namespace)</span>}</TableCell>
              <TableCell className="px-3 text-right tabular-nums">{limit(namespace.limits.cpu, (value) => `${value} vCPU`)}</TableCell>
              <TableCell className="px-3 text-right tabular-nums">{limit(namespace.limits.memoryMiB, formatMiB)}</TableCell>
              <TableCell className="px-3 text-right tabular-nums">{limit(namespace.limits.storageGiB, formatGiB)}</TableCell>
              <TableCell className="px-3">{namespace.restricted.length ? namespace.restricted.join(", ") : <span className="text-muted-foreground">Nothing</span>}</TableCell>
              <TableCell className="px-3 text-right tabular-nums">{namespace.vms}</TableCell>
              <TableCell className="px-3">
                {namespace.permissions.length === 0 ? (
                  <span className="text-muted-foreground">Administrators and operators only</span>
                ) : (
                  namespace.permissions.map((permission) => `${SUBJECT_PREFIXES[permission.kind]}${permission.namespace ? `${permission.namespace}/` : ""}${permission.name} (${permission.role})`).join(", ")
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
