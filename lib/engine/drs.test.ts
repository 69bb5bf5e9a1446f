import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDrsRecommendation, configureDrs, runDrs } from "@/lib/engine/operations/cluster-operations";
import { createVirtualMachine, migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { REQUESTED_HOST_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import { requestDrsPasses } from "@/lib/engine/singleton-loops";
import { createReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { ConflictError } from "@/lib/errors";
import { CLUSTER, createHarness, isReady, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ hosts: 2, hostMemoryMiB: 64 * 1024, cluster: { drs: { enabled: true, automationLevel: "manual", migrationThreshold: 5 } } });
  harness.startEngine();
});
afterAll(() => harness.stop());

const hostsOfVms = async () =>
  (await harness.pool.query<{ host: string; count: number }>(
    `SELECT status->>'host' AS host, count(*)::int AS count FROM resources WHERE kind = 'VirtualMachine' GROUP BY 1 ORDER BY 1`,
  )).rows;

async function drsStatus() {
  const { rows } = await harness.pool.query<{ status: { drs?: { recommendations: { vm: { name: string }; from: string; to: string; reason: string }[] } } }>(
    `SELECT status FROM resources WHERE kind = 'Cluster' AND name = $1`,
    [CLUSTER],
  );
  return rows[0]!.status.drs;
}

/** Unbalances the cluster on purpose: asks for all six VMs on esx-1 and waits until they are there. */
async function pileOntoEsx1() {
  for (let index = 1; index <= 6; index++) {
    await migrateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: `d-${index}`, host: "esx-1.test" });
  }
  await waitFor(async () => {
    const rows = await hostsOfVms();
    return rows.length === 1 && rows[0]!.host === "esx-1.test";
  }, "all on esx-1");
}

describe("DRS", () => {
  it("recommends moves when manual, and migrates by itself when fully automated", async () => {
    for (let index = 1; index <= 6; index++) {
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: `d-${index}`, spec: vmSpec({ className: "best-effort-medium" }) });
    }
    await waitFor(async () => (await hostsOfVms()).reduce((sum, row) => sum + row.count, 0) === 6, "6 placed");
    await pileOntoEsx1();
    // Let the VMs go where DRS says: drop the operator's host requests.
    await harness.pool.query(`UPDATE resources SET annotations = annotations - $1 WHERE kind = 'VirtualMachine'`, [REQUESTED_HOST_ANNOTATION]);

    const ctx = createReconcileContext(harness.pool, harness.provider, harness.config);
    await requestDrsPasses(ctx);
    const drs = await waitFor(async () => {
      const status = await drsStatus();
      return (status?.recommendations.length ?? 0) > 0 && status;
    }, "DRS recommendations");
    expect(drs!.recommendations[0]).toMatchObject({ from: "esx-1.test", to: "esx-2.test" });
    expect(drs!.recommendations[0]!.reason).toMatch(/Balance memory load: esx-1.test at \d+ %, esx-2.test at 0 %/);
    expect((await hostsOfVms()).map((row) => row.host)).toEqual(["esx-1.test"]);

    await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 5 } });
    await requestDrsPasses(ctx);
    await waitFor(async () => {
      const rows = await hostsOfVms();
      return rows.length === 2 && Math.abs(rows[0]!.count - rows[1]!.count) <= 1;
    }, "balanced by DRS", 20_000);
    const { rows: tasks } = await harness.pool.query<{ initiator: string; state: string }>(
      `SELECT initiator, state FROM tasks WHERE operation = 'VirtualMachine.migrate' AND initiator = 'vSphere DRS'`,
    );
    expect(tasks.length).toBeGreaterThan(0);
    const { rows: vms } = await harness.pool.query<{ status: { conditions: { type: string; status: string }[] } }>(`SELECT status FROM resources WHERE kind = 'VirtualMachine'`);
    expect(vms.every((vm) => isReady(vm.status))).toBe(true);
  });

  it("finishes a DRS or HA reconfiguration task once the cluster has taken the new settings", async () => {
    const { taskId } = await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: true, automationLevel: "partiallyAutomated", migrationThreshold: 3 } });
    await waitFor(async () => {
      const { rows } = await harness.pool.query<{ state: string }>(`SELECT state FROM tasks WHERE id = $1`, [taskId]);
      return rows[0]?.state === "success";
    }, "the reconfiguration task completes");
  });

  it("applies a recommendation as the operator's migration, drops it from the list, and refuses it once stale", async () => {
    await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: true, automationLevel: "manual", migrationThreshold: 5 } });
    await pileOntoEsx1();

    await runDrs(OPERATOR, { name: CLUSTER });
    const drs = await waitFor(async () => {
      const status = await drsStatus();
      return (status?.recommendations.length ?? 0) > 0 && status;
    }, "DRS recommendations after Run DRS Now");
    const recommendation = drs.recommendations[0]!;
    const input = { cluster: CLUSTER, vm: { namespace: NAMESPACE, name: recommendation.vm.name }, from: recommendation.from, to: recommendation.to };
    const { taskId } = await applyDrsRecommendation(OPERATOR, input);

    await waitFor(async () => {
      const { rows } = await harness.pool.query<{ state: string; initiator: string }>(`SELECT state, initiator FROM tasks WHERE id = $1`, [taskId]);
      return rows[0]?.state === "success" && rows[0].initiator === OPERATOR.username;
    }, "the operator's migration task completes");
    const { rows } = await harness.pool.query<{ host: string }>(`SELECT status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [recommendation.vm.name]);
    expect(rows[0]!.host).toBe("esx-2.test");
    await waitFor(async () => !(await drsStatus())!.recommendations.some((listed) => listed.vm.name === recommendation.vm.name), "the applied recommendation leaves the list");

    await expect(applyDrsRecommendation(OPERATOR, input)).rejects.toThrow(
      `The recommendation to move ${recommendation.vm.name} from esx-1.test to esx-2.test is no longer current: the VM has moved or DRS has run again since. Review the current recommendations.`,
    );
  });

  it("refuses Run DRS Now while DRS is off", async () => {
    await configureDrs(OPERATOR, { name: CLUSTER, drs: { enabled: false, automationLevel: "manual", migrationThreshold: 5 } });
    await expect(runDrs(OPERATOR, { name: CLUSTER })).rejects.toThrow(`vSphere DRS is turned off on ${CLUSTER}; turn it on under Configure › vSphere DRS to run it.`);
  });

  it("a settings form opened before a controller reported status saves; one opened before someone else's settings is refused", async () => {
    const cluster = async () =>
      (await harness.pool.query<{ generation: number }>(`SELECT generation::int FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER])).rows[0]!;
    const drs = { enabled: true, automationLevel: "manual" as const, migrationThreshold: 3 };
    const opened = await cluster();
    // The cluster controller reports status meanwhile: the resourceVersion moves, the generation does not.
    await harness.pool.query(`UPDATE resources SET status = status || '{"reportedBy": "test"}' WHERE kind = 'Cluster' AND name = $1`, [CLUSTER]);
    await configureDrs(OPERATOR, { name: CLUSTER, drs, expectedGeneration: opened.generation });
    await expect(configureDrs(OPERATOR, { name: CLUSTER, drs: { ...drs, migrationThreshold: 4 }, expectedGeneration: opened.generation })).rejects.toThrow(ConflictError);
    expect((await cluster()).generation).toBe(opened.generation + 1);
  });
});
