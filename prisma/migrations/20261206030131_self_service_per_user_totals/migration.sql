-- AlterTable
ALTER TABLE "namespace_templates" ADD COLUMN     "per_user_cpu" INTEGER,
ADD COLUMN     "per_user_memory_mib" INTEGER,
ADD COLUMN     "per_user_storage_gib" INTEGER;

-- CreateTable
CREATE TABLE "self_served_namespaces" (
    "namespace_uid" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "self_served_namespaces_pkey" PRIMARY KEY ("namespace_uid")
);

-- CreateIndex
CREATE INDEX "self_served_namespaces_user_id_cluster_idx" ON "self_served_namespaces"("user_id", "cluster");

-- AddForeignKey
ALTER TABLE "self_served_namespaces" ADD CONSTRAINT "self_served_namespaces_namespace_uid_fkey" FOREIGN KEY ("namespace_uid") REFERENCES "resources"("uid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "self_served_namespaces" ADD CONSTRAINT "self_served_namespaces_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Namespaces self-served before: their creation event names who and says "(self-service)".
INSERT INTO "self_served_namespaces" ("namespace_uid", "user_id", "cluster", "created_at")
SELECT n.uid, u.id, n.spec->>'cluster', e.time
  FROM "events" e
  JOIN "resources" n ON n.uid = e.object_uid AND n.kind = 'Namespace'
  JOIN "users" u ON u.username = e.actor
 WHERE e.reason = 'Namespace.create' AND e.message LIKE '% (self-service)'
ON CONFLICT DO NOTHING;
