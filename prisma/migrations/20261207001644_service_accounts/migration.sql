-- CreateTable
CREATE TABLE "service_account_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "service_account_uid" UUID NOT NULL,
    "namespace_uid" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_account_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "service_account_tokens_token_hash_key" ON "service_account_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "service_account_tokens_service_account_uid_idx" ON "service_account_tokens"("service_account_uid");

-- CreateIndex
CREATE INDEX "service_account_tokens_expires_at_idx" ON "service_account_tokens"("expires_at");

-- AddForeignKey
ALTER TABLE "service_account_tokens" ADD CONSTRAINT "service_account_tokens_service_account_uid_fkey" FOREIGN KEY ("service_account_uid") REFERENCES "resources"("uid") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every namespace has a `default` ServiceAccount, as in Kubernetes: the engine creates it with each
-- new namespace (namespace-operations.ts); these are the namespaces that existed before.
INSERT INTO "resources" ("api_version", "kind", "namespace", "name")
SELECT 'v1', 'ServiceAccount', "name", 'default' FROM "resources" WHERE "kind" = 'Namespace' AND "namespace" = '' AND "deletion_timestamp" IS NULL
ON CONFLICT ("kind", "namespace", "name") DO NOTHING;
