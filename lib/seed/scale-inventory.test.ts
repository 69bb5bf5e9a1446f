import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { reconcileVirtualMachine } from "@/lib/engine/controllers/vm-controller";
import { resyncAll } from "@/lib/engine/singleton-loops";
import { BULK_LOADED_TABLES, clusterSizes, seedScaleInventory, type ScaleCounts } from "@/lib/seed/scale-inventory";
import { enqueueChangedDatastores } from "@/lib/engine/controllers/datastore-controller";
import { createHarness, DATASTORE, waitFor, type Harness } from "@/lib/testing/engine-harness";

const TINY = { datacenters: 2, clusters: 2, hosts: 10, vms: 100, namespaces: 4, events: 400, tasks: 40 };

describe("the scale seed", () => {
  let harness: Harness;
  let counts: ScaleCounts;
  const seeded = `(kind = 'VirtualMachine' OR labels ? 'skylight.io/cluster' AND labels->>'skylight.io/cluster' <> 'test-cluster'
                   OR kind = 'Cluster' AND name <> 'test-cluster')`;

  beforeAll(async () => {
    harness = await createHarness();
    counts = await seedScaleInventory(harness.pool, TINY);
  });
  afterAll(() => harness.stop());

  it("makes the numbers it was asked for, with a full 64-host cluster at full size", async () => {
    expect(counts).toMatchObject({ datacenters: 2, clusters: 2, hosts: 10, vms: 100, namespaces: 4, events: 400, tasks: 40 });
    expect(clusterSizes(40, 2_500)).toEqual([...Array<number>(20).fill(64), ...Array<number>(20).fill(61)]);
    const { rows } = await harness.pool.query<{ ips: number; names: number }>(
      `SELECT count(DISTINCT status->'network'->>'primaryIP4')::int AS ips, count(DISTINCT name)::int AS names FROM resources WHERE kind = 'VirtualMachine'`,
    );
    expect(rows[0]).toEqual({ ips: 100, names: 100 });
  });

  it("leaves what it loaded vacuumed and analyzed, so the first pages read have statistics and visibility maps", async () => {
    const { rows } = await harness.pool.query<{ table: string; vacuumed: boolean; analyzed: boolean }>(
      `SELECT relname AS table, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
         FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname = ANY($1::text[]) ORDER BY 1`,
      [BULK_LOADED_TABLES],
    );
    expect(rows).toEqual([...BULK_LOADED_TABLES].sort().map((table) => ({ table, vacuumed: true, analyzed: true })));
  });

  it("puts every VM on a host of its own cluster, as the simulator sees it too", async () => {
    const { rows } = await harness.pool.query<{ misplaced: number; unmatched: number }>(
      `SELECT count(*) FILTER (WHERE h.spec->>'cluster' IS DISTINCT FROM v.labels->>'skylight.io/cluster')::int AS misplaced,
              count(*) FILTER (WHERE s.id IS NULL OR s.id <> v.status->>'uniqueID' OR s.host <> v.status->>'host'
                                 OR s.power_state <> v.status->>'powerState' OR s.power_state <> v.spec->>'powerState'
                                 OR s.ip_address <> v.status->'network'->>'primaryIP4')::int AS unmatched
         FROM resources v
         LEFT JOIN resources h ON h.kind = 'Host' AND h.name = v.status->>'host'
         LEFT JOIN sim_vms s ON s.owner_key = v.namespace || '/' || v.name
        WHERE v.kind = 'VirtualMachine'`,
    );
    expect(rows[0]).toEqual({ misplaced: 0, unmatched: 0 });
  });

  it("books on each host exactly what its VMs allocate", async () => {
    const { rows } = await harness.pool.query<{ host: string; booked: number; summed: number }>(
      `SELECT a.host, a.memory_allocated_mib AS booked, COALESCE(sum((v.status->'allocation'->>'memoryMiB')::int), 0)::int AS summed
         FROM host_allocations a LEFT JOIN resources v ON v.kind = 'VirtualMachine' AND v.status->>'host' = a.host
        WHERE a.cluster <> 'test-cluster' GROUP BY a.host, a.memory_allocated_mib`,
    );
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => row.booked !== row.summed)).toEqual([]);
  });

  it("seeds each datastore's free space as the simulator observes it from the VMs on it, so a sample round enqueues none", async () => {
    const observed = (await harness.provider.performance(new Date())).datastores.filter((datastore) => datastore.name !== DATASTORE);
    expect(observed).toHaveLength(counts.datastores);
    const { rows } = await harness.pool.query<{ name: string; vms: number }>(`SELECT datastore AS name, sum(disk_gib)::int AS vms FROM sim_vms GROUP BY datastore`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { name, vms } of rows) expect(observed.find((datastore) => datastore.name === name)!.usedGiB).toBeGreaterThanOrEqual(vms);
    expect(await enqueueChangedDatastores(harness.pool, observed)).toBe(0);
  });

  it("is already converged: reconciling a VM, then resyncing everything, writes no seeded object", async () => {
    const { rows: before } = await harness.pool.query<{ version: string }>(`SELECT max(resource_version)::text AS version FROM resources`);
    const ctx = createReconcileContext(harness.pool, harness.provider, harness.config);
    const { rows: vms } = await harness.pool.query<{ namespace: string; name: string }>(`SELECT namespace, name FROM resources WHERE kind = 'VirtualMachine' LIMIT 3`);
    for (const vm of vms) expect(await reconcileVirtualMachine(ctx, { kind: "VirtualMachine", ...vm })).toEqual({ kind: "done" });

    harness.startEngine();
    await resyncAll(harness.pool);
    // The leader's own resync spreads keys over the next hour; what is due now must be done.
    const busy = `SELECT 1 FROM reconcile_queue WHERE run_at <= now() OR lease_until > now() LIMIT 1`;
    await waitFor(async () => (await harness.pool.query(busy)).rowCount === 0, "the due keys to be reconciled");
    const { rows: written } = await harness.pool.query<{ kind: string; name: string }>(
      `SELECT kind, name FROM resources WHERE resource_version > $1 AND ${seeded}`,
      [before[0]!.version],
    );
    expect(written).toEqual([]);
  });
});
