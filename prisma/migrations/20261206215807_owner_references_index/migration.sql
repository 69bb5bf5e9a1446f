-- CreateIndex
CREATE INDEX "resources_owner_references_idx" ON "resources" USING GIN ("owner_references" jsonb_path_ops);

