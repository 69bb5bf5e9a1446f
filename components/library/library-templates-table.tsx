"use client";
// Content Library › VM templates: each template Clone to Template made, the VM it came from, its
// namespace, whether it is ready to deploy, and how many VMs were deployed from it.
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usedBy } from "@/components/library/library-images-table";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { libraryTemplatesQuery } from "@/lib/queries/library-queries";

export function LibraryTemplatesTable() {
  const { data: templates } = useSuspenseQuery(libraryTemplatesQuery());
  if (templates.length === 0) return <p className="text-sm text-muted-foreground">No templates yet: a VM&apos;s Actions › Clone › Clone to Template makes one.</p>;
  return (
    <Table aria-label="Content library templates">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Library</TableHead>
          <TableHead>Namespace</TableHead>
          <TableHead>Cloned from</TableHead>
          <TableHead>State</TableHead>
          <TableHead className="text-right">Used by</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {templates.map((template) => (
          <TableRow key={template.uid}>
            <TableCell className="font-medium">
              <Link href={`/objects/${template.uid}`} className="text-primary underline-offset-4 hover:underline">
                {template.name}
              </Link>
            </TableCell>
            <TableCell>{template.library || "—"}</TableCell>
            <TableCell>{template.namespace || "—"}</TableCell>
            <TableCell>
              {template.source ? (
                <Link href={`/objects/${template.source.uid}`} className="underline-offset-4 hover:text-primary hover:underline">
                  {template.source.namespace}/{template.source.name}
                </Link>
              ) : (
                "—"
              )}
            </TableCell>
            <TableCell>{template.ready ? <Badge variant="success">Ready to deploy</Badge> : <Badge variant="outline">Publishing…</Badge>}</TableCell>
            <TableCell className="text-right tabular-nums">{usedBy(template.usedBy)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
