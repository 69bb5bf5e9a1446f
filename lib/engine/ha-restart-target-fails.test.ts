// A restart booked on a host that stops responding before the VM is started there. In a storm this
// is a race, not a rarity: when several hosts fail together, the engine declares them not
// responding one Host reconcile at a time, and a VM of the first may be placed on another that has
// failed but is still schedulable (seen in ha-restart-capacity.test.ts's first version: 1 run in
// 4). Here the booked target fails just before the restart call, every time.
//
// haRestartStep used to reuse a host booked on an earlier pass (`alreadyBooked`) without asking
// whether it still responds, so the VM retried the restart on the dead host with backoff ("host …
// is not responding") and was never restarted elsewhere; now it gives that booking back and places
// the VM again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { InfrastructureProvider } from "@/lib/provider/provider";
import { convergedVm, createHarness, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };

let harness: Harness;
const targets: string[] = [];
beforeAll(async () => {
  harness = await createHarness({ hosts: 3 });
  const provider: InfrastructureProvider = {
    ...harness.provider,
    // The first restart's target dies between its booking and the call.
    async restartVmOnHost(vmId, targetHost) {
      if (targets.length === 0) await harness.provider.failHost(targetHost);
      targets.push(targetHost);
      return harness.provider.restartVmOnHost(vmId, targetHost);
    },
  };
  harness.startEngine({ provider });
});
afterAll(() => harness.stop());

describe("vSphere HA restart whose target fails too", () => {
  it("places the VM again on a host that responds, instead of retrying the dead one", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "web-1", spec: vmSpec() });
    const { status } = await convergedVm(harness.pool, "web-1", "PoweredOn");
    const first = status.host!;
    await failHost(ADMIN, { name: first }, harness.provider);

    await waitFor(async () => targets.length > 0, "a restart attempted");
    const deadTarget = targets[0]!;
    const survivor = ["esx-1.test", "esx-2.test", "esx-3.test"].find((host) => host !== first && host !== deadTarget)!;
    await waitFor(
      async () => {
        const observed = await harness.provider.findVm(`${NAMESPACE}/web-1`);
        return observed?.host === survivor && observed.powerState === "PoweredOn";
      },
      `web-1 restarted on ${survivor}`,
      10_000,
      async () => ({ targets, status: (await vmStatus(harness.pool, "web-1"))?.status, queue: (await harness.pool.query(`SELECT key, attempts, last_error FROM reconcile_queue`)).rows }),
    );
    const { rows } = await harness.pool.query<{ host: string; vcpus: number }>(`SELECT host, vcpus FROM host_allocations ORDER BY host`);
    // Booked only where it runs: the dead target's booking was given back.
    expect(rows.find((row) => row.host === deadTarget)?.vcpus).toBe(0);
    expect(rows.find((row) => row.host === survivor)?.vcpus).toBe(2);
  });
});
