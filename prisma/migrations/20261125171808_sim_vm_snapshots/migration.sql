-- AlterTable
ALTER TABLE "sim_vms" ADD COLUMN     "current_snapshot" TEXT,
ADD COLUMN     "last_request" TEXT,
ADD COLUMN     "snapshots" JSONB NOT NULL DEFAULT '[]';

