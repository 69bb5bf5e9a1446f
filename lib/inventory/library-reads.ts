// The Content Library page's read model: every image New Virtual Machine can deploy, with its
// library, what an import recorded on it (kind, stored size, checksum, when and by whom; seeded
// images have no files) and how many VMs were deployed from it; and the templates Clone to
// Template made, with the VM each came from and its use. Uses are counted in one pass over the VMs.
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
  TEMPLATE_NAMESPACE_LABEL,
} from "@/lib/vocabulary/engine-owned-metadata";

export interface LibraryImage {
  uid: string;
  name: string;
  library: string;
  /** VMs whose spec names it as their image. */
  usedBy: number;
  os: string;
  /** null: an image that came with the content library and has no files in its store. */
  kind: ImageKind | null;
  sizeBytes: number | null;
  sha256: string | null;
  importedAt: string | null;
  importedBy: string | null;
}

const IMAGE_USES = `(SELECT spec->>'imageName' AS image, count(*)::int AS vms FROM resources WHERE kind = 'VirtualMachine' GROUP BY 1)`;

export async function readLibraryImages(): Promise<LibraryImage[]> {
  const { rows } = await getPool().query<{ uid: string; name: string; library: string | null; os: string | null; annotations: Record<string, string>; used_by: number }>(
    `SELECT r.uid::text, r.name, r.spec->>'contentLibrary' AS library, r.status->'osInfo'->>'version' AS os, r.annotations, COALESCE(u.vms, 0) AS used_by
       FROM resources r LEFT JOIN ${IMAGE_USES} u ON u.image = r.name
      WHERE r.kind = 'VirtualMachineImage' AND r.namespace = '' AND r.deletion_timestamp IS NULL AND NOT r.labels @> $1::jsonb
      ORDER BY library, r.name`,
    [JSON.stringify({ [TEMPLATE_LABEL]: "true" })],
  );
  return rows.map(({ uid, name, library, os, annotations, used_by }) => ({
    uid,
    name,
    library: library ?? "",
    usedBy: used_by,
    os: os ?? "",
    kind: (annotations[IMAGE_KIND_ANNOTATION] as ImageKind | undefined) ?? null,
    sizeBytes: annotations[IMAGE_SIZE_ANNOTATION] ? Number(annotations[IMAGE_SIZE_ANNOTATION]) : null,
    sha256: annotations[IMAGE_SHA256_ANNOTATION] ?? null,
    importedAt: annotations[IMPORTED_AT_ANNOTATION] ?? null,
    importedBy: annotations[IMPORTED_BY_ANNOTATION] ?? null,
  }));
}

export interface LibraryTemplate {
  uid: string;
  name: string;
  namespace: string;
  library: string;
  /** The VM it was made from, as it was named then; null when that was not recorded. */
  source: { uid: string; name: string; namespace: string } | null;
  ready: boolean;
  usedBy: number;
}

/** Every template made by Clone to Template, with its VM of origin and how many VMs were deployed from it. */
export async function readLibraryTemplates(): Promise<LibraryTemplate[]> {
  const { rows } = await getPool().query<{ uid: string; name: string; library: string | null; namespace_label: string | null; source: LibraryTemplate["source"]; ready: boolean; used_by: number }>(
    `SELECT r.uid::text, r.name, r.spec->>'contentLibrary' AS library, r.labels->>$2 AS namespace_label,
            CASE WHEN r.spec->'source' ? 'uid' THEN r.spec->'source' END AS source,
            EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(r.status->'conditions', '[]'::jsonb)) c WHERE c->>'type' = 'Ready' AND c->>'status' = 'True') AS ready,
            COALESCE(u.vms, 0) AS used_by
       FROM resources r LEFT JOIN ${IMAGE_USES} u ON u.image = r.name
      WHERE r.kind = 'VirtualMachineImage' AND r.deletion_timestamp IS NULL AND r.labels @> $1::jsonb
      ORDER BY r.name`,
    [JSON.stringify({ [TEMPLATE_LABEL]: "true" }), TEMPLATE_NAMESPACE_LABEL],
  );
  return rows.map(({ uid, name, library, namespace_label, source, ready, used_by }) => ({
    uid,
    name,
    namespace: namespace_label ?? "",
    library: library ?? "",
    source: source ? { uid: String(source.uid), name: String(source.name), namespace: String(source.namespace) } : null,
    ready,
    usedBy: used_by,
  }));
}
