// The Cluster controller recounts every host's booking from the VMs that report being on it
// (recomputeAllocations). A recount that overlapped a placement (a transaction that books the host
// and writes the VM's status) used to wait for the placement's lock on the host's row, then write
// the sum it read before the placement committed: the placement's booking was lost, and a later
// placement overbooked the host (ha-restart-capacity.test.ts caught it about one run in ten). Now
// the recount locks the cluster's hosts in name order first and counts in a statement of its own,
// which sees every committed placement. Here the overlap is made on purpose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "@/lib/db/pool";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { getObject, writeStatus } from "@/lib/engine/object-store";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { placeVm, recomputeAllocations, type VmAllocation } from "@/lib/engine/placement";
import { CLUSTER, convergedVm, createHarness, NAMESPACE, OPERATOR, vmSpec, type Harness } from "@/lib/testing/engine-harness";

const SMALL: VmAllocation = { cpus: 2, memoryMiB: 4096, reservedMemoryMiB: 0, reservedCpuMhz: 0 };

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ hosts: 2 });
});
afterAll(() => harness.stop());

describe("host bookings recounted while a VM is placed", () => {
  it("keep the placement's booking", async () => {
    const engine = harness.startEngine();
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "placed-before", spec: vmSpec() });
    await convergedVm(harness.pool, "placed-before", "PoweredOn");
    // No engine from here: the placement below is the VM controller's placeStep, by hand.
    await engine.stop();
    harness.engines.splice(harness.engines.indexOf(engine), 1);
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "placed-during", spec: vmSpec() });
    const vm = (await getObject<unknown, VirtualMachineStatus>(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name: "placed-during" }))!;

    let recount: Promise<void> | undefined;
    await withTransaction(harness.pool, async (tx) => {
      const host = await placeVm(tx, CLUSTER, SMALL, { cpu: 4, memory: 1.25 });
      await writeStatus(tx, vm, { ...vm.status, host: host!, allocation: SMALL });
      // The Cluster controller's recount starts now and has to wait for this transaction's lock.
      recount = recomputeAllocations(harness.pool, CLUSTER);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await recount;

    const { rows: booked } = await harness.pool.query<{ host: string; vcpus: number }>(`SELECT host, vcpus FROM host_allocations ORDER BY host`);
    const { rows: reported } = await harness.pool.query<{ host: string; vcpus: number }>(
      `SELECT h.host, COALESCE(sum((r.status->'allocation'->>'cpus')::int), 0)::int AS vcpus
         FROM host_allocations h LEFT JOIN resources r ON r.kind = 'VirtualMachine' AND r.status->>'host' = h.host
        GROUP BY h.host ORDER BY h.host`,
    );
    expect(booked).toEqual(reported);
  });
});
