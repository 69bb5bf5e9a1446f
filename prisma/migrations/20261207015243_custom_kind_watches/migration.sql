-- CreateTable
CREATE TABLE "custom_kind_watches" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "watcher" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_kind_watches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "custom_kind_watches_kind_seen_at_idx" ON "custom_kind_watches"("kind", "seen_at");

