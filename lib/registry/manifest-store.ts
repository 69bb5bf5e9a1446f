// Manifests and tags of the registry's repositories: a pushed manifest is kept byte for byte under
// its sha256, after checking that it is an image manifest or index (OCI or Docker v2) whose blobs,
// or whose manifests for an index, the repository already holds.
import { createHash } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { withTransaction, type Db } from "@/lib/db/pool";
import { parseUntrustedJson } from "@/lib/http/untrusted-input";
import { assertRoomFor } from "@/lib/registry/blob-store";
import { digestInvalid, manifestUnknown, RegistryError } from "@/lib/registry/registry-errors";
import type { RegistryLimits } from "@/lib/registry/registry-limits";
import { isDigest } from "@/lib/registry/registry-names";

export const MANIFEST_MEDIA_TYPES = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
} as const;

const INDEX_TYPES: readonly string[] = [MANIFEST_MEDIA_TYPES.ociIndex, MANIFEST_MEDIA_TYPES.dockerList];
const ACCEPTED_TYPES: readonly string[] = Object.values(MANIFEST_MEDIA_TYPES);

const descriptor = z.object({
  mediaType: z.string().max(255).optional(),
  digest: z.string().refine(isDigest, "must be sha256:<64 lowercase hex digits>"),
  size: z.number().int().nonnegative(),
  platform: z.object({ os: z.string().optional(), architecture: z.string().optional() }).loose().optional(),
}).loose();

type Descriptor = z.infer<typeof descriptor>;

const imageManifest = z.object({ schemaVersion: z.literal(2), mediaType: z.string().optional(), config: descriptor, layers: z.array(descriptor).max(1000) }).loose();
const imageIndex = z.object({ schemaVersion: z.literal(2), mediaType: z.string().optional(), manifests: z.array(descriptor).max(1000) }).loose();

const manifestInvalid = (message: string) => new RegistryError(400, "MANIFEST_INVALID", message);

export const digestOf = (content: Buffer) => `sha256:${createHash("sha256").update(content).digest("hex")}`;

/** Stores a manifest under its digest, and under `reference` too when that is a tag; returns the digest. */
export async function putManifest(
  pool: pg.Pool,
  input: { repository: string; namespace: string; reference: string; contentType: string; content: Buffer; pushedBy: string },
  limits: RegistryLimits,
): Promise<string> {
  const mediaType = input.contentType.split(";")[0]!.trim();
  if (!ACCEPTED_TYPES.includes(mediaType)) throw manifestInvalid(`Content-Type must be one of ${ACCEPTED_TYPES.join(", ")}, not ${JSON.stringify(mediaType.slice(0, 100))}`);
  const digest = digestOf(input.content);
  if (isDigest(input.reference) && input.reference !== digest) throw digestInvalid(`the manifest's digest is ${digest}, not ${input.reference}`);
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(input.content.toString("utf8"));
  } catch (error) {
    throw manifestInvalid(`the manifest is not valid JSON: ${(error as Error).message}`);
  }
  const isIndex = INDEX_TYPES.includes(mediaType);
  const checked = (isIndex ? imageIndex : imageManifest).safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw manifestInvalid(`${issue.path.join(".") || "the manifest"}: ${issue.message}`);
  }
  if (checked.data.mediaType !== undefined && checked.data.mediaType !== mediaType) {
    throw manifestInvalid(`mediaType: the manifest says ${JSON.stringify(checked.data.mediaType.slice(0, 100))} but was sent as ${mediaType}`);
  }
  const data = checked.data as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  const references: Descriptor[] = isIndex ? data.manifests! : [data.config!, ...data.layers!];
  const digests = [...new Set(references.map((entry) => entry.digest))];
  const imageSize = input.content.length + references.reduce((sum, entry) => sum + entry.size, 0);
  return withTransaction(pool, async (tx) => {
    const known = isIndex
      ? await tx.query<{ digest: string }>(`SELECT digest FROM registry_manifests WHERE repository = $1 AND digest = ANY($2::text[])`, [input.repository, digests])
      : await tx.query<{ digest: string }>(`SELECT digest FROM registry_repository_blobs WHERE repository = $1 AND digest = ANY($2::text[])`, [input.repository, digests]);
    const missing = digests.filter((wanted) => !known.rows.some((row) => row.digest === wanted));
    if (missing.length) {
      throw isIndex
        ? new RegistryError(400, "MANIFEST_UNKNOWN", `the index names manifests this repository does not hold: ${missing.join(", ")}`)
        : new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", `the manifest names blobs this repository does not hold: ${missing.join(", ")}`);
    }
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('skylight.registry/' || $1))`, [input.namespace]);
    const { rowCount: exists } = await tx.query(`SELECT 1 FROM registry_manifests WHERE repository = $1 AND digest = $2`, [input.repository, digest]);
    if (!exists) {
      await assertRoomFor(tx, input.namespace, input.content.length, limits);
      await tx.query(
        `INSERT INTO registry_manifests (repository, digest, namespace, media_type, content, image_size, pushed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [input.repository, digest, input.namespace, mediaType, input.content, imageSize, input.pushedBy],
      );
    }
    if (!isDigest(input.reference)) {
      await tx.query(
        `INSERT INTO registry_tags (repository, tag, digest, namespace, pushed_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (repository, tag) DO UPDATE SET digest = EXCLUDED.digest, pushed_by = EXCLUDED.pushed_by, pushed_at = now()
         WHERE registry_tags.digest <> EXCLUDED.digest`,
        [input.repository, input.reference, digest, input.namespace, input.pushedBy],
      );
    }
    return digest;
  });
}

export interface StoredManifest {
  digest: string;
  mediaType: string;
  content: Buffer;
}

async function readManifest(db: Db, repository: string, reference: string): Promise<StoredManifest | null> {
  const { rows } = await db.query<{ digest: string; media_type: string; content: Buffer }>(
    isDigest(reference)
      ? `SELECT digest, media_type, content FROM registry_manifests WHERE repository = $1 AND digest = $2`
      : `SELECT m.digest, m.media_type, m.content FROM registry_tags t JOIN registry_manifests m USING (repository, digest) WHERE t.repository = $1 AND t.tag = $2`,
    [repository, reference],
  );
  return rows[0] ? { digest: rows[0].digest, mediaType: rows[0].media_type, content: rows[0].content } : null;
}

const accepts = (accept: string, mediaType: string) => accept.split(",").some((entry) => [mediaType, "*/*"].includes(entry.split(";")[0]!.trim()));

/**
 * The manifest a reference names, as stored. Content negotiation as Distribution does it: a client
 * whose Accept names no index type but some manifest type, asking by tag for an index, gets the
 * index's linux/amd64 manifest instead (a client asking by digest gets what the digest names).
 */
export async function getManifest(db: Db, repository: string, reference: string, accept: string | undefined): Promise<StoredManifest> {
  const manifest = await readManifest(db, repository, reference);
  if (!manifest) throw manifestUnknown(reference);
  if (!accept || isDigest(reference) || !INDEX_TYPES.includes(manifest.mediaType) || INDEX_TYPES.some((type) => accepts(accept, type))) return manifest;
  if (!ACCEPTED_TYPES.some((type) => accepts(accept, type))) return manifest;
  const index = imageIndex.parse(JSON.parse(manifest.content.toString("utf8")));
  const entry = index.manifests.find((candidate) => candidate.platform?.os === "linux" && candidate.platform.architecture === "amd64");
  const resolved = entry ? await readManifest(db, repository, entry.digest) : null;
  if (!resolved || !accepts(accept, resolved.mediaType)) {
    throw new RegistryError(404, "MANIFEST_UNKNOWN", `${reference} is an image index (${manifest.mediaType}), which the client does not accept, and it has no linux/amd64 manifest the client accepts`);
  }
  return resolved;
}

/** Deletes a manifest by digest (with every tag naming it), or just the tag a tag reference names. */
export async function deleteManifest(db: Db, repository: string, reference: string): Promise<void> {
  const { rowCount } = isDigest(reference)
    ? await db.query(`DELETE FROM registry_manifests WHERE repository = $1 AND digest = $2`, [repository, reference])
    : await db.query(`DELETE FROM registry_tags WHERE repository = $1 AND tag = $2`, [repository, reference]);
  if (!rowCount) throw manifestUnknown(reference);
}

/** Up to `n` of a repository's tags after `last`, in order, or null when the repository has none at all. */
export async function listTags(db: Db, repository: string, page: { n: number; last: string | null }): Promise<string[] | null> {
  const { rows } = await db.query<{ tag: string }>(
    `SELECT tag FROM registry_tags WHERE repository = $1 AND ($2::text IS NULL OR tag COLLATE "C" > $2) ORDER BY tag COLLATE "C" LIMIT $3`,
    [repository, page.last, page.n],
  );
  if (rows.length === 0) {
    const { rowCount } = await db.query(`SELECT 1 FROM registry_manifests WHERE repository = $1 LIMIT 1`, [repository]);
    if (!rowCount) return null;
  }
  return rows.map((row) => row.tag);
}

/** Up to `n` repositories after `last` in the given namespaces ("all": every one), in order. */
export async function listRepositories(db: Db, namespaces: "all" | string[], page: { n: number; last: string | null }): Promise<string[]> {
  const { rows } = await db.query<{ repository: string }>(
    `SELECT repository FROM registry_manifests
      WHERE ($1::text[] IS NULL OR namespace = ANY($1::text[])) AND ($2::text IS NULL OR repository COLLATE "C" > $2)
      GROUP BY repository ORDER BY repository COLLATE "C" LIMIT $3`,
    [namespaces === "all" ? null : namespaces, page.last, page.n],
  );
  return rows.map((row) => row.repository);
}
