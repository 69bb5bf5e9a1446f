-- AlterTable
ALTER TABLE "kube_applied_configurations" DROP CONSTRAINT "kube_applied_configurations_pkey",
ADD COLUMN     "operation" TEXT NOT NULL DEFAULT 'Apply',
ADD CONSTRAINT "kube_applied_configurations_pkey" PRIMARY KEY ("uid", "manager", "operation");

