-- AlterTable
ALTER TABLE "sim_vms" ADD COLUMN     "networks" JSONB;

-- CreateTable
CREATE TABLE "sim_templates" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source_vm_id" TEXT NOT NULL,
    "disk_gib" INTEGER NOT NULL,
    "ready_at" TIMESTAMPTZ(3) NOT NULL,
    "fails" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_templates_pkey" PRIMARY KEY ("id")
);

