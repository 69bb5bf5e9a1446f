import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { ProviderError, type InfrastructureProvider } from "@/lib/provider/provider";
import { createHarness, isReady, NAMESPACE, OPERATOR, readyCount, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

const FLAKY = `${NAMESPACE}/batch-07`;
const REFUSAL = "the host could not allocate the VM's disk (injected)";

let harness: Harness;
let failing = true;
let largestBatch = 0;

/** The harness's provider, except that creating batch-07 fails while `failing` holds, batched or alone. */
function flakyProvider(provider: InfrastructureProvider): InfrastructureProvider {
  return {
    ...provider,
    async findVms(ownerKeys) {
      largestBatch = Math.max(largestBatch, ownerKeys.length);
      return provider.findVms(ownerKeys);
    },
    async createVms(requests) {
      const others = requests.filter((request) => !(failing && request.ownerKey === FLAKY));
      const created = await provider.createVms(others);
      return requests.map((request) => (others.includes(request) ? created[others.indexOf(request)]! : new ProviderError(REFUSAL, true)));
    },
    async createVm(request) {
      if (failing && request.ownerKey === FLAKY) throw new ProviderError(REFUSAL, true);
      return provider.createVm(request);
    },
  };
}

beforeAll(async () => {
  harness = await createHarness({ hosts: 4 });
});
afterAll(async () => {
  await harness.stop();
});

describe("VMs reconciled in batches", () => {
  it("keep going when one VM's provider call fails: that VM alone retries with backoff, and converges once the provider accepts it", async () => {
    // Written before the engine starts, so they are due together and claimed as one batch.
    const names = Array.from({ length: 40 }, (_, index) => `batch-${String(index + 1).padStart(2, "0")}`);
    for (const name of names) await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className: "best-effort-xsmall" }) });
    harness.startEngine({ provider: flakyProvider(harness.provider) });

    await waitFor(async () => (await readyCount(harness)) === 39, "the other 39 VMs Ready");
    expect(largestBatch).toBeGreaterThan(1);
    expect(isReady((await vmStatus(harness.pool, "batch-07"))!.status as never)).toBe(false);
    const retrying = await waitFor(async () => {
      const { rows } = await harness.pool.query<{ attempts: number; last_error: string | null }>(
        `SELECT attempts, last_error FROM reconcile_queue WHERE key = 'VirtualMachine/${NAMESPACE}/batch-07'`,
      );
      return rows[0]?.last_error ? rows[0] : null;
    }, "batch-07's failure in the queue");
    expect(retrying.last_error).toContain(REFUSAL);
    expect(retrying.attempts).toBeGreaterThanOrEqual(1);
    // The others' keys leave the queue (their batch is released just after their Ready is written) while batch-07 still fails.
    await waitFor(async () => {
      const { rows } = await harness.pool.query(`SELECT key FROM reconcile_queue WHERE key LIKE 'VirtualMachine/%' AND key <> 'VirtualMachine/${NAMESPACE}/batch-07'`);
      return rows.length === 0;
    }, "the other VMs' keys done");
    expect(isReady((await vmStatus(harness.pool, "batch-07"))!.status as never)).toBe(false);

    failing = false;
    await waitFor(async () => (await readyCount(harness)) === 40, "batch-07 Ready once the provider accepts it", 30_000);
    const { rows } = await harness.pool.query<{ vms: number; owners: number }>(`SELECT count(*)::int AS vms, count(DISTINCT owner_key)::int AS owners FROM sim_vms`);
    expect(rows[0]).toEqual({ vms: 40, owners: 40 });
  });

  it("book each VM once on the host it runs on: host allocations equal the sum of their VMs'", async () => {
    const { rows } = await harness.pool.query<{ host: string; booked: number; placed: number; vms: number }>(
      `SELECT a.host, a.vcpus AS booked, COALESCE(sum((r.status->'allocation'->>'cpus')::int), 0)::int AS placed, count(r.uid)::int AS vms
         FROM host_allocations a
         LEFT JOIN resources r ON r.kind = 'VirtualMachine' AND r.status->>'host' = a.host
        GROUP BY a.host, a.vcpus ORDER BY a.host`,
    );
    expect(rows.length).toBe(4);
    for (const row of rows) expect(row.booked).toBe(row.placed);
    // Spread by free memory, as one-at-a-time placement spreads them: no host holds more than its share and one.
    for (const row of rows) expect(row.vms).toBeLessThanOrEqual(11);
  });
});
