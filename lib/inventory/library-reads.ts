// The Content Library page's read model: every image New Virtual Machine can deploy (templates
// made by Clone to Template are listed under VMs and Templates instead), with what an import
// recorded on it (kind, stored size, checksum, when and by whom). Seeded images have no files.
import "server-only";
import { getPool } from "@/lib/db/pool";
import type { ImageKind } from "@/lib/library/image-manifest";
import {
  IMAGE_KIND_ANNOTATION,
  IMAGE_SHA256_ANNOTATION,
  IMAGE_SIZE_ANNOTATION,
  IMPORTED_AT_ANNOTATION,
  IMPORTED_BY_ANNOTATION,
  TEMPLATE_LABEL,
} from "@/lib/vocabulary/engine-owned-metadata";

export interface LibraryImage {
  uid: string;
  name: string;
  os: string;
  /** null: an image that came with the content library and has no files in its store. */
  kind: ImageKind | null;
  sizeBytes: number | null;
  sha256: string | null;
  importedAt: string | null;
  importedBy: string | null;
}

export async function readLibraryImages(): Promise<LibraryImage[]> {
  const { rows } = await getPool().query<{ uid: string; name: string; os: string | null; annotations: Record<string, string> }>(
    `SELECT uid::text, name, status->'osInfo'->>'version' AS os, annotations FROM resources
      WHERE kind = 'VirtualMachineImage' AND namespace = '' AND deletion_timestamp IS NULL AND NOT labels @> $1::jsonb
      ORDER BY name`,
    [JSON.stringify({ [TEMPLATE_LABEL]: "true" })],
  );
  return rows.map(({ uid, name, os, annotations }) => ({
    uid,
    name,
    os: os ?? "",
    kind: (annotations[IMAGE_KIND_ANNOTATION] as ImageKind | undefined) ?? null,
    sizeBytes: annotations[IMAGE_SIZE_ANNOTATION] ? Number(annotations[IMAGE_SIZE_ANNOTATION]) : null,
    sha256: annotations[IMAGE_SHA256_ANNOTATION] ?? null,
    importedAt: annotations[IMPORTED_AT_ANNOTATION] ?? null,
    importedBy: annotations[IMPORTED_BY_ANNOTATION] ?? null,
  }));
}
