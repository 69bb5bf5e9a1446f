-- AlterTable
ALTER TABLE "namespace_templates" ADD COLUMN     "owners_may_delete" BOOLEAN NOT NULL DEFAULT true;
