"use client";
// Content Library › Container images: what has been pushed to the registry, per namespace, with
// the address a pod or `skopeo` pulls it by (repository:tag), its digest, size and who pushed it when.
import { useSuspenseQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { containerImagesQuery } from "@/lib/queries/library-queries";

const formatSize = (bytes: number) => (bytes >= 1024 * 1024 * 1024 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);
const INDEX_TYPES = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

export function ContainerImagesTable() {
  const { data: images } = useSuspenseQuery(containerImagesQuery());
  if (images.length === 0) {
    return <p className="text-sm text-muted-foreground">No container images yet. Push one with skopeo or docker to the Kubernetes API&apos;s address, as &lt;namespace&gt;/&lt;name&gt;:&lt;tag&gt;.</p>;
  }
  return (
    <Table aria-label="Container images">
      <TableHeader>
        <TableRow>
          <TableHead>Namespace</TableHead>
          <TableHead>Repository</TableHead>
          <TableHead>Tags</TableHead>
          <TableHead>Digest</TableHead>
          <TableHead className="text-right">Size</TableHead>
          <TableHead>Pushed</TableHead>
          <TableHead>Pushed by</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {images.map((image) => (
          <TableRow key={`${image.repository}@${image.digest}`}>
            <TableCell>{image.namespace}</TableCell>
            <TableCell className="font-medium">
              {image.repository}
              {INDEX_TYPES.includes(image.mediaType) && (
                <Badge variant="secondary" className="ml-2">
                  Index
                </Badge>
              )}
            </TableCell>
            <TableCell>{image.tags.length ? image.tags.join(", ") : <span className="text-muted-foreground">untagged</span>}</TableCell>
            <TableCell>
              <code className="font-mono text-xs break-all" title={image.digest}>
                {image.digest.slice(0, 19)}…
              </code>
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatSize(image.sizeBytes)}</TableCell>
            <TableCell className="whitespace-nowrap">
              <DateTime value={image.pushedAt} />
            </TableCell>
            <TableCell>{image.pushedBy}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
