import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addHost,
  connectHost,
  disconnectHost,
  enterMaintenanceMode,
  exitMaintenanceMode,
  failHost,
  removeHostFromInventory,
} from "@/lib/engine/operations/host-operations";
import { createVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { CLUSTER, createHarness, DATASTORE, isReady, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };

let harness: Harness;
beforeAll(async () => {
  // Three hosts of 16 GiB each (20 GiB with the 1.25 memory overcommit); best-effort-medium VMs
  // book 8 GiB, so two fit per host.
  harness = await createHarness({ hosts: 3, hostMemoryMiB: 16 * 1024 });
  harness.startEngine();
});
afterAll(() => harness.stop());

async function vmHosts(): Promise<Record<string, string>> {
  const { rows } = await harness.pool.query<{ name: string; host: string }>(
    `SELECT name, status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' ORDER BY name`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.host]));
}

async function hostStatus(name: string) {
  const { rows } = await harness.pool.query<{ status: { connectionState?: string; inMaintenanceMode?: boolean; maintenance?: { state: string; message: string } } }>(
    `SELECT status FROM resources WHERE kind = 'Host' AND name = $1`,
    [name],
  );
  return rows[0]!.status;
}

async function connectionLostAlarm(host: string): Promise<string | null> {
  const { rows } = await harness.pool.query<{ status: string }>(
    `SELECT s.status FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'Host connection lost' AND s.object_name = $1`,
    [host],
  );
  return rows[0]?.status ?? null;
}

async function allReady(count: number) {
  return waitFor(async () => {
    const { rows } = await harness.pool.query<{ status: { conditions?: { type: string; status: string }[]; powerState?: string } }>(
      `SELECT status FROM resources WHERE kind = 'VirtualMachine'`,
    );
    return rows.length === count && rows.every((row) => isReady(row.status) && row.status.powerState === "PoweredOn");
  }, `${count} VMs Ready`);
}

async function taskOf(operation: string, target: string) {
  const { rows } = await harness.pool.query<{ state: string; error: string | null; progress: number }>(
    `SELECT state, error, progress FROM tasks WHERE operation = $1 AND target_name = $2 ORDER BY queued_at DESC LIMIT 1`,
    [operation, target],
  );
  return rows[0];
}

describe("hosts", () => {
  it("places VMs on the host with the most headroom and never beyond capacity", async () => {
    for (const name of ["a-1", "a-2", "a-3", "a-4"]) {
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className: "best-effort-medium" }) });
    }
    await allReady(4);
    const perHost = Object.values(await vmHosts()).reduce<Record<string, number>>((counts, host) => ({ ...counts, [host]: (counts[host] ?? 0) + 1 }), {});
    expect(Math.max(...Object.values(perHost))).toBeLessThanOrEqual(2);
    expect(Object.keys(perHost)).toHaveLength(3);
  });

  it("explains why a VM cannot be placed when nothing fits", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "too-big", spec: vmSpec({ className: "best-effort-xlarge" }) });
    const condition = await waitFor(async () => {
      const { rows } = await harness.pool.query<{ status: { conditions?: { type: string; status: string; message: string }[] } }>(
        `SELECT status FROM resources WHERE kind = 'VirtualMachine' AND name = 'too-big'`,
      );
      return rows[0]?.status.conditions?.find((c) => c.type === "PlacementReady" && c.status === "False");
    }, "PlacementReady False");
    expect(condition.message).toMatch(/No host in cluster test-cluster has room for 4 vCPUs and 32768 MiB/);
    expect((await taskOf("VirtualMachine.create", "too-big"))?.state).toBe("running");
    await harness.pool.query(`DELETE FROM resources WHERE name = 'too-big'`);
  });

  it("enters maintenance mode by migrating powered-on VMs away, then exits", async () => {
    const before = await vmHosts();
    const host = Object.values(before)[0]!;
    const onHost = Object.entries(before).filter(([, h]) => h === host).map(([name]) => name);
    await enterMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === true, `${host} in maintenance mode`);
    const after = await vmHosts();
    for (const name of onHost) expect(after[name]).not.toBe(host);
    expect(await taskOf("Host.enterMaintenanceMode", host)).toMatchObject({ state: "success", progress: 100 });
    const { rows } = await harness.pool.query(`SELECT 1 FROM events WHERE reason = 'VirtualMachine.migrated'`);
    expect(rows.length).toBeGreaterThanOrEqual(onHost.length);

    await exitMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === false, `${host} out of maintenance mode`);
    expect(await taskOf("Host.exitMaintenanceMode", host)).toMatchObject({ state: "success" });
  });

  it("moves powered-off VMs away too only when asked to, as vSphere's option does", async () => {
    const before = await vmHosts();
    const host = Object.values(before)[0]!;
    const offVm = Object.entries(before).find(([, h]) => h === host)![0];
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: offVm, powerState: "PoweredOff" });
    await waitFor(async () => (await vmStatus(harness.pool, offVm))?.status.powerState === "PoweredOff", `${offVm} powered off`);

    await enterMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === true, `${host} in maintenance mode`);
    expect((await vmHosts())[offVm]).toBe(host);
    await exitMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === false, `${host} out of maintenance mode`);

    await enterMaintenanceMode(OPERATOR, { name: host, evacuatePoweredOffVms: true });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === true, `${host} in maintenance mode with its powered-off VMs moved`);
    expect((await vmHosts())[offVm]).not.toBe(host);
    expect((await vmStatus(harness.pool, offVm))?.status.powerState).toBe("PoweredOff");
    await exitMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).inMaintenanceMode === false, `${host} out of maintenance mode`);
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: offVm, powerState: "PoweredOn" });
  });

  it("refuses maintenance mode with the reason when the other hosts cannot take the VMs", async () => {
    for (const name of ["b-1", "b-2"]) {
      await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className: "best-effort-medium" }) });
    }
    await allReady(6); // every host now holds two 8 GiB VMs
    const host = Object.values(await vmHosts())[0]!;
    await enterMaintenanceMode(OPERATOR, { name: host });
    const status = await waitFor(async () => {
      const current = await hostStatus(host);
      return current.maintenance?.state === "Blocked" && current;
    }, "maintenance blocked");
    expect(status.inMaintenanceMode).toBe(false);
    expect(status.maintenance!.message).toMatch(/^Cannot enter maintenance mode: the other hosts in test-cluster lack room for its 2 powered-on VMs \(need 4 vCPUs and 16384 MiB; free: \d+ vCPUs and \d+ MiB\)\.$/);
    expect(await taskOf("Host.enterMaintenanceMode", host)).toMatchObject({ state: "error" });
    expect(Object.values(await vmHosts()).filter((h) => h === host)).toHaveLength(2);
    await exitMaintenanceMode(OPERATOR, { name: host });
    await waitFor(async () => !(await hostStatus(host)).maintenance, "maintenance cleared");
  });

  it("vSphere HA restarts a failed host's VMs on the other hosts and records every step", async () => {
    await harness.pool.query(`DELETE FROM reconcile_queue`);
    // Make room: remove two VMs so the survivors can absorb a failed host's pair.
    const { deleteVirtualMachine } = await import("@/lib/engine/operations/vm-operations");
    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "b-1" });
    await deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "b-2" });
    await waitFor(async () => Object.keys(await vmHosts()).length === 4, "b-1 and b-2 deleted");

    const hosts = await vmHosts();
    const failed = Object.values(hosts)[0]!;
    const victims = Object.entries(hosts).filter(([, h]) => h === failed).map(([name]) => name);
    await failHost(ADMIN, { name: failed }, harness.provider);

    await waitFor(async () => (await hostStatus(failed)).connectionState === "notResponding", `${failed} not responding`);
    // The leader checks state alarms every second, not only after its 20 s sample round.
    await waitFor(async () => (await connectionLostAlarm(failed)) === "red", `the connection-lost alarm on ${failed}`, 5_000);
    await waitFor(async () => {
      const observed = await Promise.all(victims.map((name) => harness.provider.findVm(`${NAMESPACE}/${name}`)));
      return observed.every((vm) => vm && vm.host !== failed && vm.powerState === "PoweredOn");
    }, "victims restarted elsewhere", 20_000, async () => ({
      vms: (await harness.pool.query(`SELECT name, status FROM resources WHERE kind = 'VirtualMachine'`)).rows,
      hosts: (await harness.pool.query(`SELECT name, status->>'connectionState' AS c FROM resources WHERE kind = 'Host'`)).rows,
      queue: (await harness.pool.query(`SELECT * FROM reconcile_queue`)).rows,
      alloc: (await harness.pool.query(`SELECT * FROM host_allocations`)).rows,
    }));
    await allReady(4);
    for (const name of victims) {
      expect((await harness.provider.findVm(`${NAMESPACE}/${name}`))?.powerState).toBe("PoweredOn");
      expect(await taskOf("HA.restartVirtualMachine", name)).toMatchObject({ state: "success" });
    }
    const { rows } = await harness.pool.query<{ reason: string }>(`SELECT DISTINCT reason FROM events WHERE reason IN ('Host.notResponding', 'HA.restartedVirtualMachine')`);
    expect(rows.map((row) => row.reason).sort()).toEqual(["HA.restartedVirtualMachine", "Host.notResponding"]);
  });

  it("notices a failed host that resumes heartbeating without Skylight being told", async () => {
    const { rows } = await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Host' AND status->>'connectionState' = 'notResponding'`);
    const failed = rows[0]!.name;
    await harness.provider.recoverHost(failed);
    await waitFor(async () => (await hostStatus(failed)).connectionState === "connected", `${failed} responding again`);
    await waitFor(async () => (await connectionLostAlarm(failed)) === null, `the connection-lost alarm on ${failed} to clear`, 5_000);
    const { rows: events } = await harness.pool.query(`SELECT 1 FROM events WHERE reason = 'Host.connected' AND message = $1`, [`Host ${failed} is responding again`]);
    expect(events).toHaveLength(1);
  });

  it("disconnects a host without failing it: its VMs keep running unmanaged, and Connect brings them back", async () => {
    const hosts = await vmHosts();
    const host = Object.values(hosts)[0]!;
    const onHost = Object.entries(hosts).filter(([, h]) => h === host).map(([name]) => name);
    const { rows: restartsBefore } = await harness.pool.query(`SELECT 1 FROM tasks WHERE operation = 'HA.restartVirtualMachine'`);

    await disconnectHost(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).connectionState === "disconnected", `${host} disconnected`);
    await waitFor(async () => {
      const statuses = await Promise.all(onHost.map((name) => vmStatus(harness.pool, name)));
      return statuses.every((row) => row?.status.conditions?.some((c) => c.type === "Synced" && c.reason === "HostDisconnected"));
    }, "VMs report their host disconnected");
    for (const name of onHost) {
      expect(await harness.provider.findVm(`${NAMESPACE}/${name}`)).toMatchObject({ host, powerState: "PoweredOn" });
    }
    const { rows: allocation } = await harness.pool.query(`SELECT schedulable FROM host_allocations WHERE host = $1`, [host]);
    expect(allocation[0]).toEqual({ schedulable: false });
    expect(await taskOf("Host.disconnect", host)).toMatchObject({ state: "success" });
    await expect(enterMaintenanceMode(OPERATOR, { name: host })).rejects.toThrow(`Host ${host} is disconnected: connect it before entering maintenance mode`);

    await connectHost(OPERATOR, { name: host });
    await waitFor(async () => (await hostStatus(host)).connectionState === "connected", `${host} connected`);
    await allReady(4);
    expect(await vmHosts()).toEqual(hosts);
    expect(await taskOf("Host.connect", host)).toMatchObject({ state: "success" });
    const { rows: restartsAfter } = await harness.pool.query(`SELECT 1 FROM tasks WHERE operation = 'HA.restartVirtualMachine'`);
    expect(restartsAfter).toHaveLength(restartsBefore.length);
    const { rows: events } = await harness.pool.query(`SELECT reason FROM events WHERE object_name = $1 AND reason IN ('Host.disconnected', 'Host.connected') ORDER BY id`, [host]);
    expect(events.map((event) => event.reason)).toEqual(["Host.disconnected", "Host.connected"]);
  });

  it("removes a host from the inventory only once it is in maintenance mode", async () => {
    const name = "esx-9.test";
    await addHost(OPERATOR, { name, cluster: CLUSTER, cpuCores: 8, cpuMhz: 2400, memoryMiB: 32 * 1024, datastores: [DATASTORE] }, harness.provider);
    await waitFor(async () => (await hostStatus(name)).connectionState === "connected", `${name} connected`);
    await expect(removeHostFromInventory(OPERATOR, { name }, harness.provider)).rejects.toThrow(`Host ${name} is not in maintenance mode: enter maintenance mode first`);

    await enterMaintenanceMode(OPERATOR, { name });
    await waitFor(async () => (await hostStatus(name)).inMaintenanceMode === true, `${name} in maintenance mode`);
    await removeHostFromInventory(OPERATOR, { name }, harness.provider);
    const { rows } = await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'Host' AND name = $1 UNION ALL SELECT 1 FROM host_allocations WHERE host = $1`, [name]);
    expect(rows).toHaveLength(0);
    expect(await harness.provider.findHost(name)).toBeNull();
    expect(await taskOf("Host.removeFromInventory", name)).toMatchObject({ state: "success" });
  });
});
