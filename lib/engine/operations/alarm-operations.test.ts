import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlarms } from "@/lib/engine/alarm-evaluator";
import { createReconcileContext } from "@/lib/engine/controllers/reconcile-context";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { insertObject } from "@/lib/engine/object-store";
import {
  acknowledgeAlarm,
  createAlarmDefinition,
  deleteAlarmDefinition,
  resetAlarmToGreen,
  setAlarmDefinitionEnabled,
  updateAlarmDefinition,
} from "@/lib/engine/operations/alarm-operations";
import { OPERATOR } from "@/lib/testing/engine-harness";
import { createSimulator } from "@/lib/simulator/simulator";
import { ConflictError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import type { AlarmDefinitionInput } from "@/lib/actions/alarms/alarm-definition-schema";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };
let pool: pg.Pool;

const offVms: AlarmDefinitionInput = {
  name: "Powered-off VMs",
  description: "",
  objectKind: "VirtualMachine",
  metric: "vm.poweredOff",
  condition: "is",
  warningThreshold: null,
  criticalThreshold: null,
  durationSeconds: 0,
  severity: "critical",
  enabled: true,
};

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
});
afterAll(() => pool.end());

describe("alarm definitions and alarms", () => {
  it("refuses a definition that breaks a rule, naming the field, and an edit from a stale version", async () => {
    await expect(createAlarmDefinition(ADMIN, { ...offVms, metric: "disk.used" }, pool)).rejects.toThrow(new InvalidInputError("metric", "metric does not apply to a VirtualMachine"));
    await expect(
      createAlarmDefinition(ADMIN, { ...offVms, objectKind: "Host", metric: "cpu.usage", condition: "above", warningThreshold: 90, criticalThreshold: 80 }, pool),
    ).rejects.toThrow("criticalThreshold must be above the warning threshold");
    await expect(createAlarmDefinition(OPERATOR, offVms, pool)).rejects.toThrow(ForbiddenError);

    const created = await createAlarmDefinition(ADMIN, offVms, pool);
    await expect(createAlarmDefinition(ADMIN, offVms, pool)).rejects.toThrow('An alarm definition named "Powered-off VMs" already exists.');
    const edited = await updateAlarmDefinition(ADMIN, created.id, created.version, { ...offVms, severity: "warning" }, pool);
    expect(edited.version).toBe(created.version + 1);
    await expect(updateAlarmDefinition(ADMIN, created.id, created.version, offVms, pool)).rejects.toThrow(ConflictError);
  });

  it("acknowledges a triggered alarm once and resets it to green, each an event", async () => {
    const vm = await insertObject(pool, {
      apiVersion: "vmoperator.vmware.com/v1alpha3",
      kind: "VirtualMachine",
      namespace: "apps",
      name: "off-01",
      spec: {},
      status: { powerState: "PoweredOff" },
    });
    const ctx = createReconcileContext(pool, createSimulator({ db: pool, speed: 1, failureRate: 0 }), readEngineConfig({ SKYLIGHT_SIM_SPEED: "1" }));
    await evaluateAlarms(ctx, new Date());
    const { rows: [state] } = await pool.query<{ definition_id: string; status: string }>(`SELECT definition_id::text, status FROM alarm_states WHERE object_uid = $1`, [vm.uid]);
    expect(state?.status).toBe("yellow");
    const target = { definitionId: state!.definition_id, objectUid: vm.uid };

    await acknowledgeAlarm(OPERATOR, target, pool);
    await acknowledgeAlarm(OPERATOR, target, pool);
    const { rows: [acknowledged] } = await pool.query(`SELECT acknowledged_by FROM alarm_states WHERE object_uid = $1`, [vm.uid]);
    expect(acknowledged).toEqual({ acknowledged_by: "olivia" });

    await resetAlarmToGreen(OPERATOR, target, pool);
    expect((await pool.query(`SELECT 1 FROM alarm_states WHERE object_uid = $1`, [vm.uid])).rowCount).toBe(0);
    await expect(acknowledgeAlarm(OPERATOR, target, pool)).rejects.toThrow("This alarm is no longer triggered");
    const { rows: events } = await pool.query<{ reason: string; message: string }>(`SELECT reason, message FROM events WHERE object_uid = $1 ORDER BY id`, [vm.uid]);
    expect(events).toEqual([
      { reason: "Alarm.statusChanged", message: "Alarm 'Powered-off VMs' on off-01 changed from Normal to Warning: Power state is Powered off" },
      { reason: "Alarm.acknowledged", message: "olivia acknowledged alarm 'Powered-off VMs' on off-01" },
      { reason: "Alarm.statusChanged", message: "olivia reset alarm 'Powered-off VMs' on off-01 from Warning to Normal" },
    ]);
  });

  it("audits creating, editing, disabling and deleting a definition, and deletes its triggered alarms with it; a built-in one can only be disabled", async () => {
    const hostsInMaintenance: AlarmDefinitionInput = { ...offVms, name: "Hosts in maintenance", objectKind: "Host", metric: "host.maintenance" };
    const created = await createAlarmDefinition(ADMIN, hostsInMaintenance, pool);
    const edited = await updateAlarmDefinition(ADMIN, created.id, created.version, { ...hostsInMaintenance, severity: "warning", durationSeconds: 300 }, pool);
    // Saving the form unchanged writes nothing and records nothing.
    expect(await updateAlarmDefinition(ADMIN, created.id, edited.version, { ...hostsInMaintenance, severity: "warning", durationSeconds: 300 }, pool)).toEqual(edited);
    const disabled = await setAlarmDefinitionEnabled(ADMIN, { id: created.id, expectedVersion: edited.version, enabled: false }, pool);
    await expect(setAlarmDefinitionEnabled(ADMIN, { id: created.id, expectedVersion: edited.version, enabled: true }, pool)).rejects.toThrow(ConflictError);
    const enabled = await setAlarmDefinitionEnabled(ADMIN, { id: created.id, expectedVersion: disabled.version, enabled: true }, pool);

    const host = await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Host", namespace: "", name: "esx-maint", spec: {}, status: { inMaintenanceMode: true } });
    await pool.query(
      `INSERT INTO alarm_states (definition_id, object_uid, object_kind, object_name, status, triggered_at) VALUES ($1, $2, 'Host', 'esx-maint', 'yellow', now())`,
      [created.id, host.uid],
    );
    await expect(deleteAlarmDefinition(OPERATOR, { id: created.id, expectedVersion: enabled.version }, pool)).rejects.toThrow(ForbiddenError);
    await expect(deleteAlarmDefinition(ADMIN, { id: created.id, expectedVersion: edited.version }, pool)).rejects.toThrow(ConflictError);
    await deleteAlarmDefinition(ADMIN, { id: created.id, expectedVersion: enabled.version }, pool);
    expect((await pool.query(`SELECT 1 FROM alarm_states WHERE object_uid = $1`, [host.uid])).rowCount).toBe(0);
    expect((await pool.query(`SELECT 1 FROM alarm_definitions WHERE id = $1`, [created.id])).rowCount).toBe(0);

    const { rows: events } = await pool.query<{ reason: string; message: string; actor: string; object_kind: string }>(
      `SELECT reason, message, actor, object_kind FROM events WHERE object_kind = 'AlarmDefinition' AND object_name = 'Hosts in maintenance' ORDER BY id`,
    );
    expect(events).toEqual([
      { reason: "AlarmDefinition.created", message: "admin created alarm definition 'Hosts in maintenance'", actor: "admin", object_kind: "AlarmDefinition" },
      { reason: "AlarmDefinition.changed", message: "admin changed alarm definition 'Hosts in maintenance': duration At once → 5 min; severity Critical → Warning", actor: "admin", object_kind: "AlarmDefinition" },
      { reason: "AlarmDefinition.disabled", message: "admin disabled alarm definition 'Hosts in maintenance'", actor: "admin", object_kind: "AlarmDefinition" },
      { reason: "AlarmDefinition.enabled", message: "admin enabled alarm definition 'Hosts in maintenance'", actor: "admin", object_kind: "AlarmDefinition" },
      { reason: "AlarmDefinition.deleted", message: "admin deleted alarm definition 'Hosts in maintenance'; its triggered alarm was removed", actor: "admin", object_kind: "AlarmDefinition" },
    ]);

    const { rows: [builtIn] } = await pool.query<{ id: string; version: number }>(`SELECT id::text, version FROM alarm_definitions WHERE name = 'Host connection lost'`);
    await expect(deleteAlarmDefinition(ADMIN, { id: builtIn!.id, expectedVersion: builtIn!.version }, pool)).rejects.toThrow(
      new InvalidInputError("id", "'Host connection lost' is built in and cannot be deleted; disable it instead."),
    );
    await setAlarmDefinitionEnabled(ADMIN, { id: builtIn!.id, expectedVersion: builtIn!.version, enabled: false }, pool);
    expect((await pool.query(`SELECT enabled FROM alarm_definitions WHERE id = $1`, [builtIn!.id])).rows).toEqual([{ enabled: false }]);
  });

  it("disabling a definition, from its switch or its form, clears the alarms it triggered at once", async () => {
    const standby: AlarmDefinitionInput = { ...offVms, name: "Hosts on standby", objectKind: "Host", metric: "host.maintenance" };
    const created = await createAlarmDefinition(ADMIN, standby, pool);
    const host = await insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Host", namespace: "", name: "esx-standby", spec: {}, status: { inMaintenanceMode: true } });
    const trigger = () =>
      pool.query(`INSERT INTO alarm_states (definition_id, object_uid, object_kind, object_name, status, triggered_at) VALUES ($1, $2, 'Host', 'esx-standby', 'red', now())`, [
        created.id,
        host.uid,
      ]);
    const triggered = async () => (await pool.query(`SELECT 1 FROM alarm_states WHERE definition_id = $1`, [created.id])).rowCount;

    await trigger();
    const switchedOff = await setAlarmDefinitionEnabled(ADMIN, { id: created.id, expectedVersion: created.version, enabled: false }, pool);
    expect(await triggered()).toBe(0);
    const switchedOn = await setAlarmDefinitionEnabled(ADMIN, { id: created.id, expectedVersion: switchedOff.version, enabled: true }, pool);
    await trigger();
    await updateAlarmDefinition(ADMIN, created.id, switchedOn.version, { ...standby, enabled: false }, pool);
    expect(await triggered()).toBe(0);
  });
});
