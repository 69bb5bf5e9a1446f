-- CreateTable
CREATE TABLE "vm_state_samples" (
    "time" TIMESTAMPTZ(3) NOT NULL,
    "powered_on" INTEGER NOT NULL,
    "powered_off" INTEGER NOT NULL,
    "suspended" INTEGER NOT NULL,

    CONSTRAINT "vm_state_samples_pkey" PRIMARY KEY ("time")
);

