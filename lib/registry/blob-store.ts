// The registry's blobs in PostgreSQL, so every app process serves the same images and nothing is on
// local disk: an upload's bytes go into `registry_chunks` (at most 1 MiB a row, keyed by offset) as
// they arrive, and its final PUT hashes them and makes them the blob, or drops them when a blob of
// that digest is already stored. A repository serves only the blobs linked to it. A namespace's
// storage (its blobs once each, its manifests and its open uploads) is checked under a per-namespace
// lock before each chunk is stored, so parallel uploads cannot pass the quota together.
import { createHash, randomUUID, type Hash } from "node:crypto";
import type pg from "pg";
import { withTransaction, type Db } from "@/lib/db/pool";
import { blobUnknown, denied, digestInvalid, RegistryError, uploadUnknown } from "@/lib/registry/registry-errors";
import type { RegistryLimits } from "@/lib/registry/registry-limits";

export const CHUNK_BYTES = 1024 * 1024;
/** Chunks one read of a blob fetches: 8 MiB in memory at most per GET. */
const CHUNKS_PER_READ = 8;

/**
 * The sha256 of each upload this process has stored every byte of so far, so the final PUT need
 * not read the blob back; an upload whose PATCHes reached another process (or a restarted one) is
 * hashed from the database instead. At most MAX_RUNNING_HASHES are kept, the oldest dropped first.
 */
const runningHashes = new Map<string, { hash: Hash; size: number }>();
const MAX_RUNNING_HASHES = 256;

function rememberHash(id: string, entry: { hash: Hash; size: number }) {
  runningHashes.delete(id);
  if (runningHashes.size >= MAX_RUNNING_HASHES) runningHashes.delete(runningHashes.keys().next().value!);
  runningHashes.set(id, entry);
}

export interface Upload {
  id: string;
  repository: string;
  namespace: string;
  size: number;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

const lockNamespace = (tx: pg.PoolClient, namespace: string) => tx.query(`SELECT pg_advisory_xact_lock(hashtext('skylight.registry/' || $1))`, [namespace]);

/** Bytes a namespace's images take: each blob its repositories hold once, its manifests, its open uploads. */
export async function namespaceStorageBytes(db: Db, namespace: string): Promise<number> {
  const { rows } = await db.query<{ bytes: string }>(
    `SELECT (SELECT COALESCE(sum(b.size), 0) FROM registry_blobs b WHERE b.digest IN (SELECT digest FROM registry_repository_blobs WHERE namespace = $1))
          + (SELECT COALESCE(sum(length(content)), 0) FROM registry_manifests WHERE namespace = $1)
          + (SELECT COALESCE(sum(size), 0) FROM registry_uploads WHERE namespace = $1) AS bytes`,
    [namespace],
  );
  return Number(rows[0]!.bytes);
}

/** Refuses `adding` more bytes to a namespace over its quota; call with the namespace locked. */
export async function assertRoomFor(db: Db, namespace: string, adding: number, limits: RegistryLimits): Promise<void> {
  const used = await namespaceStorageBytes(db, namespace);
  if (used + adding > limits.namespaceQuotaBytes) {
    throw denied(`images in namespace ${namespace} may take at most ${mib(limits.namespaceQuotaBytes)} (SKYLIGHT_REGISTRY_NAMESPACE_MIB); ${mib(used)} is in use and this needs ${mib(adding)} more`);
  }
}

const tooLarge = (limits: RegistryLimits, consequence = "") =>
  new RegistryError(413, "SIZE_INVALID", `a blob may be at most ${mib(limits.maxBlobBytes)} (SKYLIGHT_REGISTRY_MAX_BLOB_MIB)${consequence}`);

/** Refuses a declared length that could never fit, before a byte of the body is read. */
export function assertDeclaredLength(declared: number, alreadyStored: number, limits: RegistryLimits): void {
  if (Number.isFinite(declared) && alreadyStored + declared > limits.maxBlobBytes) throw tooLarge(limits);
}

/** Opens an upload session, after removing every abandoned one (untouched for the expiry). */
export async function startUpload(pool: pg.Pool, input: { repository: string; namespace: string; startedBy: string }, limits: RegistryLimits): Promise<Upload> {
  await expireUploads(pool, limits);
  const id = randomUUID();
  const { rowCount } = await pool.query(
    `INSERT INTO registry_uploads (id, repository, namespace, started_by)
     SELECT $1, $2, $3, $4 WHERE (SELECT count(*) FROM registry_uploads WHERE namespace = $3) < $5`,
    [id, input.repository, input.namespace, input.startedBy, limits.maxUploadsPerNamespace],
  );
  if (!rowCount) throw new RegistryError(429, "TOOMANYREQUESTS", `namespace ${input.namespace} has ${limits.maxUploadsPerNamespace} uploads open already; finish or cancel one, or wait until abandoned ones expire`);
  return { id, repository: input.repository, namespace: input.namespace, size: 0 };
}

export async function expireUploads(pool: pg.Pool, limits: RegistryLimits): Promise<void> {
  await pool.query(
    `WITH expired AS (DELETE FROM registry_uploads WHERE updated_at < now() - make_interval(secs => $1) RETURNING id)
     DELETE FROM registry_chunks WHERE storage IN (SELECT id FROM expired)`,
    [limits.uploadExpirySeconds],
  );
}

export async function findUpload(db: Db, id: string, repository: string): Promise<Upload> {
  const { rows } = /^[0-9a-f-]{36}$/.test(id)
    ? await db.query<{ size: string; namespace: string }>(`SELECT size, namespace FROM registry_uploads WHERE id = $1 AND repository = $2`, [id, repository])
    : { rows: [] };
  if (!rows[0]) throw uploadUnknown();
  return { id, repository, namespace: rows[0].namespace, size: Number(rows[0].size) };
}

export async function cancelUpload(db: Db, id: string): Promise<void> {
  runningHashes.delete(id);
  await db.query(
    `WITH removed AS (DELETE FROM registry_uploads WHERE id = $1 RETURNING id) DELETE FROM registry_chunks WHERE storage IN (SELECT id FROM removed)`,
    [id],
  );
}

/**
 * Stores the body after what the upload holds, a chunk at a time, and returns the upload's new
 * size. Past the blob limit or the namespace's quota it stops reading and removes the upload.
 */
export async function appendToUpload(pool: pg.Pool, upload: Upload, body: AsyncIterable<Buffer>, limits: RegistryLimits): Promise<number> {
  let size = upload.size;
  const known = runningHashes.get(upload.id);
  const running = known?.size === size ? known : size === 0 ? { hash: createHash("sha256"), size: 0 } : null;
  runningHashes.delete(upload.id);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const store = async (data: Buffer) => {
    await withTransaction(pool, async (tx) => {
      await lockNamespace(tx, upload.namespace);
      await assertRoomFor(tx, upload.namespace, data.length, limits);
      const { rowCount } = await tx.query(`UPDATE registry_uploads SET size = size + $2, updated_at = now() WHERE id = $1 AND size = $3`, [upload.id, data.length, size]);
      if (!rowCount) throw new RegistryError(416, "BLOB_UPLOAD_INVALID", "the upload changed meanwhile (another request wrote to it)");
      await tx.query(`INSERT INTO registry_chunks (storage, start, data) VALUES ($1, $2, $3)`, [upload.id, size, data]);
    });
    size += data.length;
    running?.hash.update(data);
  };
  try {
    for await (const piece of body) {
      if (size + pendingBytes + piece.length > limits.maxBlobBytes) throw tooLarge(limits, "; nothing of this upload is kept");
      pending.push(piece);
      pendingBytes += piece.length;
      while (pendingBytes >= CHUNK_BYTES) {
        const joined = Buffer.concat(pending);
        await store(joined.subarray(0, CHUNK_BYTES));
        pending = [joined.subarray(CHUNK_BYTES)];
        pendingBytes -= CHUNK_BYTES;
      }
    }
    if (pendingBytes > 0) await store(Buffer.concat(pending));
    if (running) rememberHash(upload.id, { hash: running.hash, size });
  } catch (error) {
    if (error instanceof RegistryError && (error.status === 413 || error.code === "DENIED")) await cancelUpload(pool, upload.id);
    throw error;
  }
  return size;
}

/** Reads a blob's (or an upload's) bytes from `start` up to `end` (exclusive), a few chunks per query. */
export async function* readStored(db: Db, storage: string, start: number, end: number): AsyncGenerator<Buffer> {
  let position = start;
  while (position < end) {
    const { rows } = await db.query<{ start: string; data: Buffer }>(
      `SELECT start, data FROM registry_chunks WHERE storage = $1 AND start > $2::bigint - $4 AND start < $3 ORDER BY start LIMIT ${CHUNKS_PER_READ}`,
      [storage, position, end, CHUNK_BYTES],
    );
    const overlapping = rows.filter((row) => Number(row.start) + row.data.length > position);
    if (overlapping.length === 0) throw new Error(`stored bytes of ${storage} end at ${position}, before ${end}`);
    for (const row of overlapping) {
      const chunkStart = Number(row.start);
      const piece = row.data.subarray(position - chunkStart, Math.min(row.data.length, end - chunkStart));
      position += piece.length;
      yield piece;
    }
  }
}

/**
 * The final PUT: checks the bytes against the digest the client named (a mismatch removes the
 * upload: DIGEST_INVALID), then makes them the blob, or keeps the blob already stored under that
 * digest, and links it to the upload's repository.
 */
export async function finishUpload(pool: pg.Pool, upload: Upload, digest: string): Promise<void> {
  const running = runningHashes.get(upload.id);
  runningHashes.delete(upload.id);
  let hash = running?.size === upload.size ? running.hash : null;
  if (!hash) {
    hash = createHash("sha256");
    for await (const piece of readStored(pool, upload.id, 0, upload.size)) hash.update(piece);
  }
  const actual = `sha256:${hash.digest("hex")}`;
  if (actual !== digest) {
    await cancelUpload(pool, upload.id);
    throw digestInvalid(`the uploaded content's digest is ${actual}, not ${digest}; the upload was removed`);
  }
  await withTransaction(pool, async (tx) => {
    await lockNamespace(tx, upload.namespace);
    const { rowCount } = await tx.query(`DELETE FROM registry_uploads WHERE id = $1`, [upload.id]);
    if (!rowCount) throw uploadUnknown();
    const created = await tx.query(`INSERT INTO registry_blobs (digest, size, storage) VALUES ($1, $2, $3) ON CONFLICT (digest) DO NOTHING`, [digest, upload.size, upload.id]);
    if (!created.rowCount) await tx.query(`DELETE FROM registry_chunks WHERE storage = $1`, [upload.id]);
    await tx.query(
      `INSERT INTO registry_repository_blobs (repository, digest, namespace) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [upload.repository, digest, upload.namespace],
    );
  });
}

export interface StoredBlob {
  size: number;
  storage: string;
}

/** The blob when the repository holds it, else null. */
export async function findBlob(db: Db, repository: string, digest: string): Promise<StoredBlob | null> {
  const { rows } = await db.query<{ size: string; storage: string }>(
    `SELECT b.size, b.storage FROM registry_blobs b JOIN registry_repository_blobs l ON l.digest = b.digest WHERE l.repository = $1 AND b.digest = $2`,
    [repository, digest],
  );
  return rows[0] ? { size: Number(rows[0].size), storage: rows[0].storage } : null;
}

/** Cross-repository mount: links a blob `from` holds into `repository`, within the namespace's quota. */
export async function mountBlob(pool: pg.Pool, input: { from: string; repository: string; namespace: string; digest: string }, limits: RegistryLimits): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const blob = await findBlob(tx, input.from, input.digest);
    if (!blob) return false;
    await lockNamespace(tx, input.namespace);
    const { rowCount: held } = await tx.query(`SELECT 1 FROM registry_repository_blobs WHERE namespace = $1 AND digest = $2`, [input.namespace, input.digest]);
    if (!held) await assertRoomFor(tx, input.namespace, blob.size, limits);
    await tx.query(`INSERT INTO registry_repository_blobs (repository, digest, namespace) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [input.repository, input.digest, input.namespace]);
    return true;
  });
}

/** Unlinks a blob from a repository; the bytes go once no repository holds them. */
export async function deleteBlob(pool: pg.Pool, repository: string, digest: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(`DELETE FROM registry_repository_blobs WHERE repository = $1 AND digest = $2`, [repository, digest]);
    if (!rowCount) throw blobUnknown(digest);
    await tx.query(
      `WITH removed AS (
         DELETE FROM registry_blobs b WHERE b.digest = $1 AND NOT EXISTS (SELECT 1 FROM registry_repository_blobs l WHERE l.digest = b.digest) RETURNING storage)
       DELETE FROM registry_chunks WHERE storage IN (SELECT storage FROM removed)`,
      [digest],
    );
  });
}
