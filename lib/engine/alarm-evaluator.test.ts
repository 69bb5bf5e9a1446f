import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordEvent } from "@/lib/engine/activity";
import { evaluateAlarms, evaluateDefinition, type AlarmDefinitionRow } from "@/lib/engine/alarm-evaluator";
import { createReconcileContext, type ReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { insertObject } from "@/lib/engine/object-store";
import { insertSamples } from "@/lib/metrics/metric-store";
import { createSimulator } from "@/lib/simulator/simulator";

let pool: pg.Pool;
let ctx: ReconcileContext;
const HOST = "esx-alarm.test";
const T0 = Date.parse("2026-03-02T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

async function cpuSample(minutes: number, percent: number) {
  await insertSamples(pool, at(minutes), [{ kind: "Host", namespace: "", name: HOST, values: { cpu_pct: percent, mem_pct: 40 } }]);
}

async function hostAlarm() {
  const { rows } = await pool.query<{ status: string; message: string }>(
    `SELECT s.status, s.message FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'Host CPU usage' AND s.object_name = $1`,
    [HOST],
  );
  return rows[0]?.status ?? "none";
}

async function alarmEvents() {
  const { rows } = await pool.query<{ message: string; severity: string }>(
    `SELECT message, severity FROM events WHERE reason = 'Alarm.statusChanged' AND object_name = $1 ORDER BY id`,
    [HOST],
  );
  return rows;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
  // Simulated time at real speed: the built-in "Host CPU usage" alarm needs 5 minutes above 90 %.
  const config = readEngineConfig({ SKYLIGHT_SIM_SPEED: "1" });
  ctx = createReconcileContext(pool, createSimulator({ db: pool, speed: 1, failureRate: 0 }), config);
  await insertObject(pool, { apiVersion: "skylight.io/v1", kind: "Host", namespace: "", name: HOST, spec: {}, status: { connectionState: "connected" } });
});
afterAll(() => pool.end());

describe("alarm evaluation", () => {
  it("triggers host CPU above 90 % only once it has held for 5 minutes of simulated time, and clears when it drops", async () => {
    await cpuSample(0, 95);
    await evaluateAlarms(ctx, at(0));
    expect(await hostAlarm()).toBe("green");

    // A dip below the threshold starts the 5 minutes over.
    await cpuSample(1, 80);
    await evaluateAlarms(ctx, at(1));
    expect(await hostAlarm()).toBe("none");
    for (const minute of [2, 4, 6]) {
      await cpuSample(minute, 96);
      await evaluateAlarms(ctx, at(minute));
      expect(await hostAlarm()).toBe("green");
    }
    expect(await alarmEvents()).toEqual([]);

    await cpuSample(7, 97);
    await evaluateAlarms(ctx, at(7));
    expect(await hostAlarm()).toBe("red");
    expect(await alarmEvents()).toEqual([
      { message: `Alarm 'Host CPU usage' on ${HOST} changed from Normal to Critical: CPU usage 97 %`, severity: "error" },
    ]);

    // Still above: nothing new happens.
    await cpuSample(8, 93);
    await evaluateAlarms(ctx, at(8));
    expect(await alarmEvents()).toHaveLength(1);

    await cpuSample(9, 40);
    await evaluateAlarms(ctx, at(9));
    expect(await hostAlarm()).toBe("none");
    expect((await alarmEvents()).at(-1)).toEqual({ message: `Alarm 'Host CPU usage' on ${HOST} changed from Critical to Normal`, severity: "info" });
  });

  it("triggers a state alarm at once and clears it with the state", async () => {
    await pool.query(`UPDATE resources SET status = '{"connectionState": "notResponding"}' WHERE name = $1`, [HOST]);
    await evaluateAlarms(ctx, at(20));
    const { rows } = await pool.query<{ name: string; status: string }>(
      `SELECT d.name, s.status FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE s.object_name = $1 AND s.status <> 'green'`,
      [HOST],
    );
    expect(rows).toEqual([{ name: "Host connection lost", status: "red" }]);
    await pool.query(`UPDATE resources SET status = '{"connectionState": "connected"}' WHERE name = $1`, [HOST]);
    await evaluateAlarms(ctx, at(21));
    expect((await pool.query(`SELECT 1 FROM alarm_states WHERE object_name = $1`, [HOST])).rowCount).toBe(0);
  });

  it("triggers an event alarm on the event's object and keeps it until it is reset", async () => {
    const vm = await insertObject(pool, { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "apps", name: "web-alarm", spec: {} });
    await recordEvent(pool, { reason: "VirtualMachine.driftRepaired", message: "web-alarm was powered off outside Skylight", object: vm, severity: "warning" });
    await evaluateAlarms(ctx, at(30));
    await evaluateAlarms(ctx, at(31));
    const { rows } = await pool.query(`SELECT s.status FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'Virtual machine powered off unexpectedly' AND s.object_uid = $1`, [vm.uid]);
    expect(rows).toEqual([{ status: "yellow" }]);
  });

  it("writes no alarm for a definition an administrator disables while a round evaluates it", async () => {
    await pool.query(`UPDATE resources SET status = '{"connectionState": "notResponding"}' WHERE name = $1`, [HOST]);
    const { rows: [definition] } = await pool.query<AlarmDefinitionRow>(
      `SELECT id::text, name, object_kind, metric, condition, warning_threshold, critical_threshold, duration_seconds, severity, event_cursor::text
         FROM alarm_definitions WHERE name = 'Host connection lost'`,
    );
    // The disable as the console's operation makes it (definition and its alarms in one
    // transaction), committed only after the round, which read the definition enabled, has begun.
    const admin = await pool.connect();
    await admin.query("BEGIN");
    await admin.query(`UPDATE alarm_definitions SET enabled = false WHERE id = $1`, [definition!.id]);
    await admin.query(`DELETE FROM alarm_states WHERE definition_id = $1`, [definition!.id]);
    const round = evaluateDefinition(ctx, definition!, at(40));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin.query("COMMIT");
    admin.release();
    await round;
    expect((await pool.query(`SELECT 1 FROM alarm_states WHERE definition_id = $1`, [definition!.id])).rowCount).toBe(0);

    await pool.query(`UPDATE alarm_definitions SET enabled = true WHERE id = $1`, [definition!.id]);
    await pool.query(`UPDATE resources SET status = '{"connectionState": "connected"}' WHERE name = $1`, [HOST]);
  });
});
