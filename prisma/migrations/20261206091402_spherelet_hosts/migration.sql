-- The version every spec write of an agent machine takes, so an agent can ask for what changed.
CREATE SEQUENCE "agent_machine_version_seq";

-- CreateTable
CREATE TABLE "spherelet_hosts" (
    "name" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "datastore" TEXT NOT NULL,
    "datastore_capacity_gib" DOUBLE PRECISION,
    "datastore_used_gib" DOUBLE PRECISION,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "spherelet_hosts_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "agent_machines" (
    "id" TEXT NOT NULL,
    "owner_key" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT nextval('agent_machine_version_seq'),
    "status" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_machines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "spherelet_hosts_token_hash_key" ON "spherelet_hosts"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "agent_machines_owner_key_key" ON "agent_machines"("owner_key");

-- CreateIndex
CREATE INDEX "agent_machines_host_version_idx" ON "agent_machines"("host", "version");

