// HA restart of many VMs at once, with host capacity tight: half the cluster fails together, the
// survivors have room for only some of the failed hosts' VMs, and two engines restart them
// concurrently. No surviving host may end over its overcommit cap, by its bookings or by the VMs
// that report being on it; the VMs that do not fit say so (HARestartFailed, HA.restartFailed)
// instead of overbooking; and HA admission control still refuses a power-on the smaller cluster
// could not fail over.
//
// The failing hosts are full, so no restart can be placed on one of them before it too is declared
// not responding: that race (a restart booked on a host that then fails) is
// ha-restart-target-fails.test.ts's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "@/lib/db/pool";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { assertFailoverCapacity } from "@/lib/engine/ha-admission";
import { getObject } from "@/lib/engine/object-store";
import { enterMaintenanceMode, exitMaintenanceMode, failHost } from "@/lib/engine/operations/host-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { ClusterSpec } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { CLUSTER, createHarness, isReady, NAMESPACE, OPERATOR, vmSpec, waitFor, type Harness } from "@/lib/testing/engine-harness";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };
const HOSTS = 8;
const FAILED = 4;
// Eight hosts of 4 cores and 16 GiB: capped at 16 vCPUs, 20 GiB booked (1.25 memory overcommit)
// and 16 GiB reserved. Small VMs (2 vCPUs, 4 GiB; the guaranteed ones reserve it all) fit five to
// a host by memory. The four hosts that fail are full (20 VMs); the four survivors hold 12 and have
// room for 8 more.
const HOST_MIB = 16 * 1024;
const HOST_CORES = 4;
const HOST_MHZ = 2600;
const OVERCOMMIT = { cpu: 4, memory: 1.25 };

type Vm = { name: string; host: string | null; status: VirtualMachineStatus & { conditions?: { type: string; status: string; reason: string; message: string }[] } };

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ hosts: HOSTS, hostCores: HOST_CORES, hostMemoryMiB: HOST_MIB });
  harness.startEngine();
  harness.startEngine();
});
afterAll(() => harness.stop());

async function vms(): Promise<Vm[]> {
  const { rows } = await harness.pool.query<Vm>(`SELECT name, status->>'host' AS host, status FROM resources WHERE kind = 'VirtualMachine' ORDER BY name`);
  return rows;
}

async function allocations() {
  const { rows } = await harness.pool.query<{ host: string; schedulable: boolean; vcpus: number; memory_allocated_mib: number; memory_reserved_mib: number; cpu_reserved_mhz: number }>(
    `SELECT host, schedulable, vcpus, memory_allocated_mib, memory_reserved_mib, cpu_reserved_mhz FROM host_allocations WHERE cluster = $1 ORDER BY host`,
    [CLUSTER],
  );
  return rows;
}

/** Whether a host's bookings fit its caps: what placement must never exceed. */
function withinCaps(booking: { vcpus: number; memory: number; reservedMemory: number; reservedCpu: number }): boolean {
  return (
    booking.vcpus <= HOST_CORES * OVERCOMMIT.cpu &&
    booking.memory <= HOST_MIB * OVERCOMMIT.memory &&
    booking.reservedMemory <= HOST_MIB &&
    booking.reservedCpu <= HOST_CORES * HOST_MHZ
  );
}

type Booking = { vcpus: number; memory: number; reservedMemory: number; reservedCpu: number };

const booked = (row: Awaited<ReturnType<typeof allocations>>[number]): Booking => ({
  vcpus: row.vcpus,
  memory: row.memory_allocated_mib,
  reservedMemory: row.memory_reserved_mib,
  reservedCpu: row.cpu_reserved_mhz,
});

/** What the VMs that report being on `host` add up to. */
function reportedOn(all: Vm[], host: string): Booking {
  const onHost = all.filter((vm) => vm.host === host).map((vm) => vm.status.allocation!);
  return {
    vcpus: onHost.reduce((sum, a) => sum + a.cpus, 0),
    memory: onHost.reduce((sum, a) => sum + a.memoryMiB, 0),
    reservedMemory: onHost.reduce((sum, a) => sum + a.reservedMemoryMiB, 0),
    reservedCpu: onHost.reduce((sum, a) => sum + a.reservedCpuMhz, 0),
  };
}

async function admits(name: string): Promise<boolean> {
  const cluster = await getObject<ClusterSpec, unknown>(harness.pool, { kind: "Cluster", namespace: "", name: CLUSTER });
  try {
    await withTransaction(harness.pool, async (tx) => {
      await assertFailoverCapacity(tx, { name: CLUSTER, spec: cluster!.spec }, { namespace: NAMESPACE, name }, { reservedMemoryMiB: 4096, reservedCpuMhz: 2000 });
      throw new Error("rollback"); // only asking
    });
  } catch (error) {
    if (error instanceof InvalidInputError) return false;
    if ((error as Error).message !== "rollback") throw error;
  }
  return true;
}

describe("vSphere HA restart storm", () => {
  it("restarts what fits on the survivors, never over a host's overcommit cap, and reports the rest as HARestartFailed", async () => {
    const hosts = Array.from({ length: HOSTS }, (_, index) => `esx-${index + 1}.test`);
    const failed = hosts.slice(0, FAILED);
    const survivors = hosts.slice(FAILED);
    // Fill the hosts that will fail while the survivors are in maintenance mode, then the survivors
    // in part. Guaranteed VMs first each time, so none is left without a host that can reserve it.
    const inMaintenance = (host: string, wanted: boolean) =>
      waitFor(async () => {
        const { rows } = await harness.pool.query<{ done: boolean }>(`SELECT COALESCE((status->>'inMaintenanceMode')::boolean, false) AS done FROM resources WHERE kind = 'Host' AND name = $1`, [host]);
        return rows[0]?.done === wanted;
      }, `${host} ${wanted ? "in" : "out of"} maintenance mode`);
    for (const host of survivors) await enterMaintenanceMode(OPERATOR, { name: host });
    for (const host of survivors) await inMaintenance(host, true);
    let created = 0;
    const create = async (count: number, className: string) => {
      for (let index = 0; index < count; index++) {
        await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: `s-${String(++created).padStart(2, "0")}`, spec: vmSpec({ className }) });
      }
      await waitFor(async () => {
        const all = await vms();
        return all.length === created && all.every((vm) => isReady(vm.status) && vm.status.powerState === "PoweredOn");
      }, `${created} VMs Ready`);
    };
    await create(8, "guaranteed-small");
    await create(12, "best-effort-small");
    for (const host of survivors) await exitMaintenanceMode(OPERATOR, { name: host });
    for (const host of survivors) await inMaintenance(host, false);
    await create(4, "guaranteed-small");
    await create(8, "best-effort-small");

    const before = await vms();
    const victims = before.filter((vm) => failed.includes(vm.host!)).map((vm) => vm.name);
    expect(victims).toHaveLength(20);
    // Every VM is the same size (2 vCPUs, 4 GiB), so the room is a count of free slots per survivor.
    const bookingsBefore = await allocations();
    // Each host's booking is what its VMs report (a recount overlapping a placement must not lose
    // its booking: allocation-recompute-race.test.ts).
    for (const row of bookingsBefore) expect(booked(row), `${row.host}'s booking before the failure`).toEqual(reportedOn(before, row.host));
    const room = bookingsBefore
      .filter((row) => survivors.includes(row.host))
      .reduce((slots, row) => slots + Math.min(Math.floor((HOST_MIB * OVERCOMMIT.memory - row.memory_allocated_mib) / 4096), Math.floor((HOST_CORES * OVERCOMMIT.cpu - row.vcpus) / 2)), 0);
    expect(room).toBe(8);
    for (const row of bookingsBefore.filter((each) => failed.includes(each.host))) expect(row.memory_allocated_mib).toBe(HOST_MIB * OVERCOMMIT.memory);
    // Before: admission would take one more guaranteed VM (seven hosts' 112 GiB back the 48 GiB reserved).
    expect(await admits("one-more")).toBe(true);

    await Promise.all(failed.map((name) => failHost(ADMIN, { name }, harness.provider)));

    const settled = await waitFor(async () => {
      const outcome = (await vms()).filter((vm) => victims.includes(vm.name));
      const restarted = outcome.filter((vm) => survivors.includes(vm.host!) && isReady(vm.status) && vm.status.powerState === "PoweredOn");
      const refused = outcome.filter((vm) => vm.status.conditions?.some((c) => c.type === "Synced" && c.status === "False" && c.reason === "HARestartFailed"));
      return restarted.length + refused.length === victims.length && { restarted, refused };
    }, "every failed host's VM restarted elsewhere or refused", 30_000, async () => ({
      vms: (await vms()).filter((vm) => victims.includes(vm.name)).map((vm) => ({ name: vm.name, host: vm.host, synced: vm.status.conditions?.find((c) => c.type === "Synced") })),
      queue: (await harness.pool.query(`SELECT key, attempts, last_error FROM reconcile_queue WHERE key LIKE 'VirtualMachine/%'`)).rows,
      allocations: await allocations(),
    }));

    // Exactly what fit was restarted; the rest were refused, not squeezed in.
    expect(settled.restarted).toHaveLength(room);
    expect(settled.refused).toHaveLength(victims.length - room);
    for (const vm of settled.refused) {
      const synced = vm.status.conditions!.find((c) => c.type === "Synced")!;
      expect(synced.message).toMatch(/^No host in cluster test-cluster has room for 2 vCPUs and 4096 MiB: the most any host has free is \d+ vCPUs and \d+ MiB\.$/);
      // Not placed on a survivor, and not running anywhere.
      expect(failed).toContain(vm.host);
      const observed = await harness.provider.findVm(`${NAMESPACE}/${vm.name}`);
      expect(observed).toMatchObject({ host: vm.host, powerState: "PoweredOff" });
    }
    const { rows: events } = await harness.pool.query<{ name: string }>(`SELECT DISTINCT object_name AS name FROM events WHERE reason = 'HA.restartFailed'`);
    expect(events.map((row) => row.name).sort()).toEqual(settled.refused.map((vm) => vm.name).sort());
    const { rows: tasks } = await harness.pool.query<{ name: string }>(`SELECT target_name AS name FROM tasks WHERE operation = 'HA.restartVirtualMachine' AND state = 'success'`);
    expect(tasks.map((row) => row.name).sort()).toEqual(settled.restarted.map((vm) => vm.name).sort());

    // No survivor over its cap: by its bookings, by the VMs that report being on it, and by what
    // the provider runs on it; and the bookings are exactly the sum of those VMs' allocations.
    const after = await vms();
    const bookings = await allocations();
    for (const row of bookings.filter((each) => survivors.includes(each.host))) {
      expect(row.schedulable).toBe(true);
      expect(withinCaps(booked(row)), `${row.host} booked ${JSON.stringify(booked(row))}`).toBe(true);
      const reported = reportedOn(after, row.host);
      expect(withinCaps(reported), `VMs reporting ${row.host}: ${JSON.stringify(reported)}`).toBe(true);
      expect(booked(row), `${row.host}'s booking after the restarts`).toEqual(reported);
      const { rows: running } = await harness.pool.query<{ cpus: number; memory: number }>(
        `SELECT COALESCE(sum(cpus), 0)::int AS cpus, COALESCE(sum(memory_mib), 0)::int AS memory FROM sim_vms WHERE host = $1`,
        [row.host],
      );
      expect(running[0]!.cpus).toBeLessThanOrEqual(HOST_CORES * OVERCOMMIT.cpu);
      expect(running[0]!.memory).toBeLessThanOrEqual(HOST_MIB * OVERCOMMIT.memory);
    }
    // The failed hosts left the pool placement and admission count.
    expect(bookings.filter((row) => failed.includes(row.host)).every((row) => !row.schedulable)).toBe(true);

    // Admission control holds on the smaller cluster: three of the four survivors' 48 GiB already
    // back the 12 guaranteed VMs, so one more is refused, and nothing is written.
    expect(await admits("one-more")).toBe(false);
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "one-more", spec: vmSpec({ className: "guaranteed-small" }) })).rejects.toThrow(
      /^vSphere HA admission control: powering on one-more would leave too little failover capacity in test-cluster to tolerate 1 host failure/,
    );
    const { rows: written } = await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = 'one-more'`);
    expect(written).toHaveLength(0);
  });
});
