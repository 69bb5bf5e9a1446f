// The Content Library's container images: each manifest pushed to the registry (lib/registry/),
// with its tags, digest, size (the manifest and every blob it names) and who pushed it when, in the
// namespaces the reader may see. A page shows at most CONTAINER_IMAGES_SHOWN, newest first per repository.
import "server-only";
import type { AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";

export const CONTAINER_IMAGES_SHOWN = 500;

export interface ContainerImage {
  namespace: string;
  repository: string;
  digest: string;
  mediaType: string;
  tags: string[];
  sizeBytes: number;
  pushedAt: string;
  pushedBy: string;
}

export async function readContainerImages(scope: AccessScope): Promise<ContainerImage[]> {
  const { rows } = await getPool().query<{ namespace: string; repository: string; digest: string; media_type: string; tags: string[]; image_size: string; pushed_at: Date; pushed_by: string }>(
    `SELECT m.namespace, m.repository, m.digest, m.media_type, m.image_size, m.pushed_at, m.pushed_by,
            COALESCE(array_agg(t.tag ORDER BY t.tag) FILTER (WHERE t.tag IS NOT NULL), '{}') AS tags
       FROM registry_manifests m LEFT JOIN registry_tags t USING (repository, digest)
      WHERE $1::text[] IS NULL OR m.namespace = ANY($1::text[])
      GROUP BY m.repository, m.digest
      ORDER BY m.repository COLLATE "C", m.pushed_at DESC
      LIMIT ${CONTAINER_IMAGES_SHOWN}`,
    [scope.all ? null : [...scope.namespaces.keys()]],
  );
  return rows.map((row) => ({
    namespace: row.namespace,
    repository: row.repository,
    digest: row.digest,
    mediaType: row.media_type,
    tags: row.tags,
    sizeBytes: Number(row.image_size),
    pushedAt: row.pushed_at.toISOString(),
    pushedBy: row.pushed_by,
  }));
}
