// The agent's machine driver against real QEMU guests from the tiny image (TCG here): specs in,
// statuses out, as the agent drives it. One guest goes through power, suspend, snapshots and disk
// growth, is adopted by a second driver, cloned and deleted; a second one shows that a guest
// which ignores the ACPI button is reported, not waited on forever.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastTick, readyLines } from "@/lib/hypervisor/guest-serial";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { GUEST_READY_MARKER } from "@/lib/hypervisor/tiny-image";
import { diskInfo } from "@/lib/hypervisor/vm-runtime";
import { MachineDriver } from "@/lib/spherelet/agent/machine-driver";
import { machinePaths } from "@/lib/spherelet/agent/machine-files";
import { driverPlaces, tinyImageDatastore } from "@/lib/testing/qemu-guests";
import type { Machine, MachineSpec, MachineStatus } from "@/lib/spherelet/machine-protocol";

let datastore: string;
const drivers: MachineDriver[] = [];

beforeAll(async () => {
  datastore = await tinyImageDatastore();
}, 180_000);

afterAll(async () => {
  for (const driver of drivers) driver.close();
  for (const id of ["web-01", "web-02", "deaf-01"]) {
    const pid = await runningPid(driverPlaces(datastore, id).runDir);
    if (pid) process.kill(pid, "SIGKILL");
  }
  await rm(datastore, { recursive: true, force: true });
});

const newDriver = (id: string, options: { guestShutdownTimeoutMs?: number } = {}) => {
  const driver = new MachineDriver({ ...driverPlaces(datastore, id), id, ...options });
  drivers.push(driver);
  return driver;
};

/** A machine as the server would send it; each call to `with` is a new generation. */
function machine(id: string, spec: Partial<MachineSpec>) {
  let current: Machine = {
    id,
    host: "esx-real-01",
    generation: 1,
    spec: { ownerKey: `dev/${id}`, datastore: "local", image: "tiny", cloneOf: null, powerState: "PoweredOff", powerMode: "Hard", cpus: 1, memoryMiB: 128, diskGiB: 1, networks: ["VM Network"], request: null, deleted: false, ...spec },
    role: "run",
    incoming: null,
  };
  return {
    get current() {
      return current;
    },
    with(change: Partial<MachineSpec>) {
      current = { ...current, generation: current.generation + 1, spec: { ...current.spec, ...change } };
      return current;
    },
  };
}

/** Converges until the status satisfies `done`, as the agent's periodic passes would. */
async function convergeUntil(driver: MachineDriver, target: Machine, done: (status: MachineStatus) => boolean, timeoutMs = 30_000): Promise<MachineStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await driver.converge(target);
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`the status never got there; last: ${JSON.stringify({ ...status, serialTail: status.serialTail.slice(-300) })}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const qemuProcessesOf = (dir: string) =>
  execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.startsWith("qemu-system") && line.includes(path.join(dir, "qemu.pid"))).length;

describe("the machine driver", () => {
  it("reports a missing image by name, with where it should be and where it comes from", async () => {
    const vm = machine("web-00", { image: "ubuntu-24.04" });
    const status = await newDriver("web-00").converge(vm.current);
    expect(status).toMatchObject({ provisioned: false, powerState: "PoweredOff", pid: null });
    const dir = path.join(datastore, "images", "ubuntu-24.04");
    expect(status.lastError).toBe(
      `The image "ubuntu-24.04" is not on this host: ${dir} holds no kernel, disk or ISO. Import it into Skylight's content library (the agent fetches it from there), or copy the image's files into it.`,
    );
  });

  it("takes one guest through power, snapshots, suspend, disk growth, adoption by a new driver, clone and delete", async () => {
    const vm = machine("web-01", {});
    const dir = machinePaths(datastore, "web-01").dir;
    let driver = newDriver("web-01");

    let status = await driver.converge(vm.current);
    expect(status).toMatchObject({ provisioned: true, powerState: "PoweredOff", diskGiB: 1, pid: null, ipAddress: null, counters: null, lastError: null });

    status = await convergeUntil(driver, vm.with({ powerState: "PoweredOn" }), (s) => s.ipAddress !== null);
    expect(status).toMatchObject({ powerState: "PoweredOn", ipAddress: "10.0.2.15", cpus: 1, memoryMiB: 128, observedGeneration: 2 });
    expect(status.serialTail).toContain(`${GUEST_READY_MARKER} address=10.0.2.15`);
    expect(status.pid).toBe(await runningPid(driverPlaces(datastore, "web-01").runDir));
    expect(status.counters!.cpuSeconds).toBeGreaterThan(0);
    expect(status.counters!.rssBytes).toBeGreaterThan(50 * 1024 ** 2);

    // A new driver over the same directory (the agent restarted) adopts the running QEMU.
    const pid = status.pid;
    driver.close();
    driver = newDriver("web-01");
    status = await driver.converge(vm.current);
    expect(status).toMatchObject({ powerState: "PoweredOn", pid, ipAddress: "10.0.2.15" });
    expect(qemuProcessesOf(driverPlaces(datastore, "web-01").runDir)).toBe(1);

    // CPUs apply at the next power-on; the disk grows under the running guest.
    status = await driver.converge(vm.with({ cpus: 2, diskGiB: 2 }));
    expect(status).toMatchObject({ cpus: 1, diskGiB: 2, pid });
    expect((await diskInfo(machinePaths(datastore, "web-01").disk)).sizeGiB).toBe(2);

    const snapshot = { id: "take-1", action: "takeSnapshot" as const, snapshotId: "s1", name: "Before upgrade", description: "", memory: true };
    status = await driver.converge(vm.with({ request: snapshot }));
    expect(status).toMatchObject({ lastRequest: "take-1", currentSnapshotId: "s1", lastError: null });
    expect(status.snapshots).toEqual([expect.objectContaining({ id: "s1", name: "Before upgrade", includesMemory: true, parentId: null, powerState: "PoweredOn", hardware: { cpus: 1, memoryMiB: 128, diskGiB: 2 } })]);
    // The same request again (another generation) is not carried out twice.
    status = await driver.converge(vm.with({ diskGiB: 2 }));
    expect(status.snapshots).toHaveLength(1);

    // Suspend saves the guest and QEMU exits; resume runs on from there without booting again.
    status = await driver.converge(vm.with({ powerState: "Suspended" }));
    expect(status).toMatchObject({ powerState: "Suspended", pid: null, ipAddress: null, cpus: 1 });
    const tickAtSuspend = await lastTick(dir);
    status = await driver.converge(vm.with({ powerState: "PoweredOn" }));
    expect(status).toMatchObject({ powerState: "PoweredOn", cpus: 1 });
    await expect.poll(() => lastTick(dir), { timeout: 20_000, interval: 250 }).toBeGreaterThan(tickAtSuspend);
    expect(await readyLines(dir)).toHaveLength(1);

    // Reverting to a snapshot with memory: the guest runs on from it.
    status = await driver.converge(vm.with({ request: { id: "revert-1", action: "revertToSnapshot", snapshotId: "s1" } }));
    expect(status).toMatchObject({ powerState: "PoweredOn", lastRequest: "revert-1", currentSnapshotId: "s1", lastError: null });

    // Shut Down Guest OS: the guest powers off; the new CPU count shows once it is off.
    status = await driver.converge(vm.with({ powerState: "PoweredOff", powerMode: "Soft" }));
    expect(status).toMatchObject({ powerState: "PoweredOff", pid: null, cpus: 2, lastError: null });
    expect(await runningPid(driverPlaces(datastore, vm.current.id).runDir)).toBeNull();

    status = await driver.converge(vm.with({ request: { id: "remove-1", action: "removeSnapshot", snapshotId: null } }));
    expect(status).toMatchObject({ snapshots: [], currentSnapshotId: null, lastRequest: "remove-1" });
    expect((await diskInfo(machinePaths(datastore, "web-01").disk)).snapshots).toEqual([]);

    // A clone is a standalone copy: it stays when its source is deleted.
    const clone = machine("web-02", { cloneOf: "web-01", diskGiB: 2 });
    const cloneDriver = newDriver("web-02");
    expect(await cloneDriver.converge(clone.current)).toMatchObject({ provisioned: true, diskGiB: 2, lastError: null });

    status = await driver.converge(vm.with({ deleted: true }));
    expect(status).toMatchObject({ deleted: true, provisioned: false, pid: null });
    expect(existsSync(dir)).toBe(false);
    expect(await cloneDriver.converge(clone.current)).toMatchObject({ provisioned: true, diskGiB: 2 });
    expect(await cloneDriver.converge(clone.with({ deleted: true }))).toMatchObject({ deleted: true });
    expect(existsSync(machinePaths(datastore, "web-02").dir)).toBe(false);
  }, 120_000);

  it("reports a guest that ignores Shut Down, leaves it on without pressing again, and Power Off still stops it", async () => {
    const vm = machine("deaf-01", {});
    const driver = newDriver("deaf-01", { guestShutdownTimeoutMs: 2_000 });
    // The button pressed while the guest is still booting (its ACPI daemon not yet started) is lost,
    // as with a guest that runs none.
    const { pid } = await driver.converge(vm.with({ powerState: "PoweredOn" }));
    expect(pid).toBeGreaterThan(0);

    let status = await driver.converge(vm.with({ powerState: "PoweredOff", powerMode: "Soft" }));
    expect(status).toMatchObject({ powerState: "PoweredOn", pid });
    expect(status.lastError).toBe("The guest did not shut down within 2 s of the ACPI power button (it may run no ACPI daemon), and the VM is still on: use Power Off to stop it at once.");
    const started = Date.now();
    status = await driver.converge(vm.current);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(status).toMatchObject({ powerState: "PoweredOn", pid, lastError: expect.stringContaining("use Power Off") });

    status = await driver.converge(vm.with({ powerState: "PoweredOff", powerMode: "Hard" }));
    expect(status).toMatchObject({ powerState: "PoweredOff", pid: null, lastError: null });
    expect(await runningPid(driverPlaces(datastore, vm.current.id).runDir)).toBeNull();
  });
});
