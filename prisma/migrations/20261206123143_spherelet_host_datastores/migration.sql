-- CreateTable
CREATE TABLE "spherelet_host_datastores" (
    "host" TEXT NOT NULL,
    "datastore" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "capacity_gib" DOUBLE PRECISION,
    "used_gib" DOUBLE PRECISION,

    CONSTRAINT "spherelet_host_datastores_pkey" PRIMARY KEY ("host","datastore")
);

-- Each host's one datastore becomes its default, with the space its agent last reported.
INSERT INTO "spherelet_host_datastores" ("host", "datastore", "position", "capacity_gib", "used_gib")
SELECT "name", "datastore", 0, "datastore_capacity_gib", "datastore_used_gib" FROM "spherelet_hosts";

-- AlterTable
ALTER TABLE "spherelet_hosts" DROP COLUMN "datastore_capacity_gib",
DROP COLUMN "datastore_used_gib";

-- CreateIndex
CREATE INDEX "spherelet_host_datastores_datastore_idx" ON "spherelet_host_datastores"("datastore");

-- AddForeignKey
ALTER TABLE "spherelet_host_datastores" ADD CONSTRAINT "spherelet_host_datastores_host_fkey" FOREIGN KEY ("host") REFERENCES "spherelet_hosts"("name") ON DELETE CASCADE ON UPDATE CASCADE;
