-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "result" TEXT;

-- AlterTable
ALTER TABLE "agent_machines" ADD COLUMN     "incoming" JSONB,
ADD COLUMN     "last_migration" JSONB,
ADD COLUMN     "migration_target" TEXT;

-- CreateIndex
CREATE INDEX "agent_machines_migration_target_idx" ON "agent_machines"("migration_target");

