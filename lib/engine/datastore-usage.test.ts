import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlarms } from "@/lib/engine/alarm-evaluator";
import { createReconcileContext, type ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { collectMetrics } from "@/lib/engine/metrics-collector";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, convergedVm, createHarness, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";

// Two small datastores of their own on the harness's cluster: one where VMs come and go, one that
// a VM fills past the built-in alarm's 85 %.
const SMALL = { name: "small-ds", capacityGiB: 200, otherUsedGiB: 100 };
const TIGHT = { name: "tight-ds", capacityGiB: 100, otherUsedGiB: 60 };
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

let harness: Harness;
/** The leader's round at simulated real speed, so an alarm's duration is minutes of `at`. */
let ctx: ReconcileContext;

async function freeGiB(name: string): Promise<number | null> {
  const { rows } = await harness.pool.query<{ free: number | null }>(`SELECT (status->>'freeGiB')::int AS free FROM resources WHERE kind = 'Datastore' AND name = $1`, [name]);
  return rows[0]?.free ?? null;
}

/** One sample round, then the datastore's recorded free space once its controller has caught up. */
async function observedFreeGiB(name: string, expected: number, minute = 0): Promise<void> {
  await collectMetrics(ctx, at(minute));
  await waitFor(async () => (await freeGiB(name)) === expected, `${name} to show ${expected} GiB free`, 10_000, async () => freeGiB(name));
}

async function vmGone(name: string): Promise<void> {
  await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name])).rowCount === 0, `${name} to be deleted`);
}

async function datastoreAlarm(): Promise<string> {
  const { rows } = await harness.pool.query<{ status: string }>(
    `SELECT s.status FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'Datastore usage on disk' AND s.object_name = $1`,
    [TIGHT.name],
  );
  return rows[0]?.status ?? "none";
}

async function alarmEvents(): Promise<string[]> {
  const { rows } = await harness.pool.query<{ message: string }>(`SELECT message FROM events WHERE reason = 'Alarm.statusChanged' AND object_name = $1 ORDER BY id`, [TIGHT.name]);
  return rows.map((row) => row.message);
}

beforeAll(async () => {
  harness = await createHarness({ hosts: 2 });
  for (const datastore of [SMALL, TIGHT]) {
    await insertObject(harness.pool, {
      apiVersion: KIND_API_VERSIONS.Datastore,
      kind: "Datastore",
      namespace: "",
      name: datastore.name,
      labels: { "skylight.io/cluster": CLUSTER },
      spec: { datacenter: "dc-test", type: "nfs", capacityGiB: datastore.capacityGiB },
    });
    await harness.provider.addDatastore(datastore);
  }
  await harness.pool.query(`UPDATE sim_hosts SET datastores = datastores || $1::text[]`, [[SMALL.name, TIGHT.name]]);
  ctx = createReconcileContext(harness.pool, harness.provider, readEngineConfig({ SKYLIGHT_SIM_SPEED: "1" }));
  harness.startEngine();
});
afterAll(() => harness.stop());

describe("datastore usage", () => {
  it("follows the VMs placed on the datastore: creating one takes its disk, deleting it frees the space", async () => {
    await observedFreeGiB(SMALL.name, 100);
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "usage-vm", spec: vmSpec({ storageClass: SMALL.name, powerState: "PoweredOff" }) });
    await convergedVm(harness.pool, "usage-vm", "PoweredOff");
    // ubuntu-24.04-server's disk is 20 GiB.
    await observedFreeGiB(SMALL.name, 80);

    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "usage-vm" });
    await vmGone("usage-vm");
    await observedFreeGiB(SMALL.name, 100);
  });

  it("writes nothing when the recorded free space is already what the provider observes", async () => {
    await observedFreeGiB(SMALL.name, 100);
    const version = async () => (await harness.pool.query<{ v: string }>(`SELECT resource_version::text AS v FROM resources WHERE name = $1`, [SMALL.name])).rows[0]!.v;
    const queued = async () => (await harness.pool.query(`SELECT 1 FROM reconcile_queue WHERE key = $1`, [`Datastore//${SMALL.name}`])).rowCount === 1;
    await waitFor(async () => !(await queued()), "the datastore's last reconcile to finish");
    const before = await version();
    await collectMetrics(ctx, at(0));
    expect(await queued()).toBe(false);
    expect(await version()).toBe(before);
  });

  it("raises the built-in warning once a datastore stays above 85 % for the definition's duration, and clears it when space is freed", async () => {
    // The built-in definition triggers at once; give it five minutes to hold, as an administrator could.
    await harness.pool.query(`UPDATE alarm_definitions SET duration_seconds = 300 WHERE name = 'Datastore usage on disk'`);
    // rhel-9's 30 GiB disk on 40 GiB free: 90 % used, above the warning's 85 % and below the critical 95 %.
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "filler", spec: vmSpec({ storageClass: TIGHT.name, imageName: "rhel-9", powerState: "PoweredOff" }) });
    await convergedVm(harness.pool, "filler", "PoweredOff");

    await observedFreeGiB(TIGHT.name, 10, 10);
    await evaluateAlarms(ctx, at(10));
    expect(await datastoreAlarm()).toBe("green");
    for (const minute of [12, 14]) {
      await collectMetrics(ctx, at(minute));
      await evaluateAlarms(ctx, at(minute));
      expect(await datastoreAlarm()).toBe("green");
    }
    expect(await alarmEvents()).toEqual([]);

    await collectMetrics(ctx, at(15));
    await evaluateAlarms(ctx, at(15));
    expect(await datastoreAlarm()).toBe("yellow");
    expect(await alarmEvents()).toEqual([`Alarm 'Datastore usage on disk' on ${TIGHT.name} changed from Normal to Warning: Disk space used 90 %`]);

    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "filler" });
    await vmGone("filler");
    await observedFreeGiB(TIGHT.name, 40, 16);
    await evaluateAlarms(ctx, at(16));
    expect(await datastoreAlarm()).toBe("none");
    expect((await alarmEvents()).at(-1)).toBe(`Alarm 'Datastore usage on disk' on ${TIGHT.name} changed from Warning to Normal`);
  });
});
