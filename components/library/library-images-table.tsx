"use client";
// Content Library: every image with its library, kind, stored size, checksum, who imported it when,
// and how many VMs were deployed from it.
// Images that came with the library have no files in its store (no kind, size or checksum).
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMiB } from "@/components/objects/summary/summary-parts";
import { libraryImagesQuery } from "@/lib/queries/library-queries";

export const usedBy = (vms: number) => (vms === 0 ? "No VMs" : vms === 1 ? "1 VM" : `${vms.toLocaleString("en-US")} VMs`);

const KIND_LABELS = { disk: "Disk (qcow2)", iso: "ISO", kernel: "Kernel + initramfs" } as const;

export function LibraryImagesTable() {
  const { data: images } = useSuspenseQuery(libraryImagesQuery());
  return (
    <Table aria-label="Content library images">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Library</TableHead>
          <TableHead>Guest OS</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead className="text-right">Size</TableHead>
          <TableHead>SHA-256</TableHead>
          <TableHead>Imported</TableHead>
          <TableHead>Imported by</TableHead>
          <TableHead className="text-right">Used by</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {images.map((image) => (
          <TableRow key={image.uid}>
            <TableCell className="font-medium">
              <Link href={`/objects/${image.uid}`} className="text-primary underline-offset-4 hover:underline">
                {image.name}
              </Link>
            </TableCell>
            <TableCell>{image.library || "—"}</TableCell>
            <TableCell>{image.os || <span className="text-muted-foreground">—</span>}</TableCell>
            <TableCell>{image.kind ? <Badge variant="secondary">{KIND_LABELS[image.kind]}</Badge> : <span className="text-muted-foreground">No files</span>}</TableCell>
            <TableCell className="text-right tabular-nums">{image.sizeBytes === null ? "—" : formatMiB(Math.max(1, Math.round(image.sizeBytes / 1024 / 1024)))}</TableCell>
            <TableCell>
              {image.sha256 ? (
                <code className="font-mono text-xs break-all" title={image.sha256}>
                  {image.sha256}
                </code>
              ) : (
                "—"
              )}
            </TableCell>
            <TableCell className="whitespace-nowrap">
              <DateTime value={image.importedAt} />
            </TableCell>
            <TableCell>{image.importedBy ?? "—"}</TableCell>
            <TableCell className="text-right tabular-nums">{usedBy(image.usedBy)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
