-- AlterTable
ALTER TABLE "sim_vms" ADD COLUMN     "networks" JSONB;

