-- CreateTable
CREATE TABLE "registry_chunks" (
    "storage" UUID NOT NULL,
    "start" BIGINT NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "registry_chunks_pkey" PRIMARY KEY ("storage","start")
);

-- CreateTable
CREATE TABLE "registry_blobs" (
    "digest" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "storage" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_blobs_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "registry_repository_blobs" (
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_repository_blobs_pkey" PRIMARY KEY ("repository","digest")
);

-- CreateTable
CREATE TABLE "registry_manifests" (
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "image_size" BIGINT NOT NULL,
    "pushed_by" TEXT NOT NULL,
    "pushed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_manifests_pkey" PRIMARY KEY ("repository","digest")
);

-- CreateTable
CREATE TABLE "registry_tags" (
    "repository" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "pushed_by" TEXT NOT NULL,
    "pushed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_tags_pkey" PRIMARY KEY ("repository","tag")
);

-- CreateTable
CREATE TABLE "registry_uploads" (
    "id" UUID NOT NULL,
    "repository" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "started_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "registry_blobs_storage_key" ON "registry_blobs"("storage");

-- CreateIndex
CREATE INDEX "registry_repository_blobs_namespace_idx" ON "registry_repository_blobs"("namespace");

-- CreateIndex
CREATE INDEX "registry_repository_blobs_digest_idx" ON "registry_repository_blobs"("digest");

-- CreateIndex
CREATE INDEX "registry_manifests_namespace_idx" ON "registry_manifests"("namespace");

-- CreateIndex
CREATE INDEX "registry_tags_namespace_idx" ON "registry_tags"("namespace");

-- CreateIndex
CREATE INDEX "registry_uploads_namespace_idx" ON "registry_uploads"("namespace");

-- CreateIndex
CREATE INDEX "registry_uploads_updated_at_idx" ON "registry_uploads"("updated_at");

-- AddForeignKey
ALTER TABLE "registry_tags" ADD CONSTRAINT "registry_tags_repository_digest_fkey" FOREIGN KEY ("repository", "digest") REFERENCES "registry_manifests"("repository", "digest") ON DELETE CASCADE ON UPDATE CASCADE;


-- Layers are compressed already: PostgreSQL need not try to compress them again.
ALTER TABLE "registry_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;

-- A namespace's images go with it: its tags, manifests, blob links and uploads, and each blob (with
-- its chunks) that no other repository holds. A later namespace of the same name starts empty.
CREATE FUNCTION "registry_forget_namespace"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digests text[];
  storages uuid[];
BEGIN
  DELETE FROM registry_tags WHERE namespace = OLD.name;
  DELETE FROM registry_manifests WHERE namespace = OLD.name;
  WITH removed AS (DELETE FROM registry_repository_blobs WHERE namespace = OLD.name RETURNING digest)
  SELECT array_agg(DISTINCT digest) INTO digests FROM removed;
  WITH removed AS (
    DELETE FROM registry_blobs b WHERE b.digest = ANY(COALESCE(digests, '{}'))
       AND NOT EXISTS (SELECT 1 FROM registry_repository_blobs l WHERE l.digest = b.digest)
    RETURNING storage)
  SELECT array_agg(storage) INTO storages FROM removed;
  DELETE FROM registry_chunks WHERE storage = ANY(COALESCE(storages, '{}'));
  WITH removed AS (DELETE FROM registry_uploads WHERE namespace = OLD.name RETURNING id)
  SELECT array_agg(id) INTO storages FROM removed;
  DELETE FROM registry_chunks WHERE storage = ANY(COALESCE(storages, '{}'));
  RETURN NULL;
END $$;

CREATE TRIGGER "registry_forget_namespace" AFTER DELETE ON "resources"
  FOR EACH ROW WHEN (OLD.kind = 'Namespace' AND OLD.namespace = '') EXECUTE FUNCTION "registry_forget_namespace"();
