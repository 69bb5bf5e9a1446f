-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "operation" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target_namespace" TEXT NOT NULL DEFAULT '',
    "target_name" TEXT NOT NULL,
    "target_uid" UUID,
    "target_generation" BIGINT,
    "initiator" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "progress_message" TEXT,
    "error" TEXT,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "severity" TEXT NOT NULL DEFAULT 'info',
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "object_kind" TEXT NOT NULL,
    "object_namespace" TEXT NOT NULL DEFAULT '',
    "object_name" TEXT NOT NULL,
    "object_uid" UUID,
    "actor" TEXT,
    "task_id" UUID,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconcile_queue" (
    "key" TEXT NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dirty" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leased_by" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "reconcile_queue_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "sim_hosts" (
    "name" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "cpu_cores" INTEGER NOT NULL,
    "cpu_mhz" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "datastores" TEXT[],
    "version" TEXT NOT NULL DEFAULT '8.0.3',
    "failed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_hosts_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "sim_vms" (
    "id" TEXT NOT NULL,
    "owner_key" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "datastore" TEXT NOT NULL,
    "power_state" TEXT NOT NULL,
    "cpus" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "disk_gib" INTEGER NOT NULL,
    "ip_address" TEXT,
    "operation" TEXT,
    "operation_target" JSONB,
    "operation_started_at" TIMESTAMPTZ(3),
    "operation_completes_at" TIMESTAMPTZ(3),
    "operation_fails" BOOLEAN NOT NULL DEFAULT false,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_vms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host_allocations" (
    "host" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "schedulable" BOOLEAN NOT NULL DEFAULT true,
    "cpu_cores" INTEGER NOT NULL,
    "memory_mib" INTEGER NOT NULL,
    "vcpus" INTEGER NOT NULL DEFAULT 0,
    "memory_allocated_mib" INTEGER NOT NULL DEFAULT 0,
    "memory_reserved_mib" INTEGER NOT NULL DEFAULT 0,
    "cpu_reserved_mhz" INTEGER NOT NULL DEFAULT 0,
    "cpu_mhz_per_core" INTEGER NOT NULL,

    CONSTRAINT "host_allocations_pkey" PRIMARY KEY ("host")
);

-- CreateIndex
CREATE INDEX "tasks_queued_at_idx" ON "tasks"("queued_at");

-- CreateIndex
CREATE INDEX "tasks_target_uid_state_idx" ON "tasks"("target_uid", "state");

-- CreateIndex
CREATE INDEX "events_time_idx" ON "events"("time");

-- CreateIndex
CREATE INDEX "events_object_uid_time_idx" ON "events"("object_uid", "time");

-- CreateIndex
CREATE INDEX "reconcile_queue_run_at_idx" ON "reconcile_queue"("run_at");

-- CreateIndex
CREATE UNIQUE INDEX "sim_vms_owner_key_key" ON "sim_vms"("owner_key");

-- CreateIndex
CREATE INDEX "sim_vms_host_idx" ON "sim_vms"("host");

-- CreateIndex
CREATE INDEX "host_allocations_cluster_idx" ON "host_allocations"("cluster");


-- VMs by host, for evacuation and HA. (Lookups by kind and namespace use the unique index.)
CREATE INDEX "resources_vm_host_idx" ON "resources" ((status->>'host')) WHERE kind = 'VirtualMachine';
