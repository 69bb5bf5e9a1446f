-- CreateTable
CREATE TABLE "pod_metrics" (
    "pod_uid" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cpu_nano_cores" DOUBLE PRECISION NOT NULL,
    "memory_bytes" DOUBLE PRECISION NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pod_metrics_pkey" PRIMARY KEY ("pod_uid")
);

-- CreateIndex
CREATE INDEX "pod_metrics_namespace_name_idx" ON "pod_metrics"("namespace", "name");

