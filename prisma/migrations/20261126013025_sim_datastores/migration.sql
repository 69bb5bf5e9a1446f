-- CreateTable
CREATE TABLE "sim_datastores" (
    "name" TEXT NOT NULL,
    "capacity_gib" INTEGER NOT NULL,
    "other_used_gib" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_datastores_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "sim_vms_datastore_idx" ON "sim_vms"("datastore");


-- Datastores already in the inventory become the simulator's with the free space they show today:
-- whatever the VMs' disks do not explain counts as other files.
INSERT INTO "sim_datastores" ("name", "capacity_gib", "other_used_gib")
SELECT r."name", round((r."spec"->>'capacityGiB')::numeric)::int,
       GREATEST(0, round((r."spec"->>'capacityGiB')::numeric - COALESCE((r."status"->>'freeGiB')::numeric, (r."spec"->>'capacityGiB')::numeric))::int - COALESCE(v."used", 0))
  FROM "resources" r
  LEFT JOIN (SELECT "datastore", sum("disk_gib")::int AS "used" FROM "sim_vms" GROUP BY "datastore") v ON v."datastore" = r."name"
 WHERE r."kind" = 'Datastore' AND r."namespace" = '' AND r."spec" ? 'capacityGiB';
