import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type CreateVmRequest, type InfrastructureProvider, ProviderError } from "@/lib/provider/provider";
import { createSimulator, type SimulatorOptions } from "@/lib/simulator/simulator";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

const start = new Date("2026-03-01T12:00:00.000Z");
let now = start;
const advance = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));

function simulator(options: Partial<SimulatorOptions> = {}): InfrastructureProvider {
  return createSimulator({ db: pool, speed: 0, failureRate: 0, seed: 7, now: () => now, ...options });
}

function vmRequest(ownerKey: string, overrides: Partial<CreateVmRequest> = {}): CreateVmRequest {
  return { ownerKey, host: "esx-01", datastore: "ds-01", cpus: 2, memoryMiB: 4096, diskGiB: 20, imageName: "ubuntu-24.04", ...overrides };
}

async function addHosts(provider: InfrastructureProvider, ...names: string[]) {
  for (const name of names) {
    await provider.addHost({ name, cluster: "cluster-a", cpuCores: 32, cpuMhz: 2600, memoryMiB: 262_144, datastores: ["ds-01"] });
  }
}

/** A powered-on VM, created and started at speed 0. */
async function runningVm(ownerKey: string, host = "esx-01") {
  const instant = simulator();
  const vm = await instant.createVm(vmRequest(ownerKey, { host }));
  await instant.setPowerState(vm.id, "PoweredOn", "Hard");
  const running = await instant.findVm(ownerKey);
  if (running?.powerState !== "PoweredOn") throw new Error(`${ownerKey} did not power on`);
  return running;
}

beforeEach(async () => {
  now = start;
  await pool.query("TRUNCATE sim_vms, sim_hosts, sim_datastores");
  await addHosts(simulator(), "esx-01", "esx-02");
});

describe("creating VMs", () => {
  it("creates one VM per owner key, even when asked twice at once", async () => {
    const provider = simulator({ speed: 1 });
    const [first, second] = await Promise.all([provider.createVm(vmRequest("default/web")), provider.createVm(vmRequest("default/web"))]);
    expect(second.id).toBe(first.id);
    expect(first.id).toMatch(/^vm-[0-9a-f]{8}$/);
    expect(first).toMatchObject({ powerState: "PoweredOff", operation: { name: "create", progress: 0 } });
    const { rows } = await pool.query("SELECT id FROM sim_vms WHERE owner_key = 'default/web'");
    expect(rows).toHaveLength(1);
  });

  it("refuses an unknown host for good and a failed host for now", async () => {
    const provider = simulator();
    await expect(provider.createVm(vmRequest("default/a", { host: "esx-99" }))).rejects.toMatchObject({ retryable: false });
    await provider.failHost("esx-02");
    const error = await provider.createVm(vmRequest("default/b", { host: "esx-02" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/not responding/) });
  });
});

describe("operations over time", () => {
  it("at speed 0 settles a power-on on the next read and gives the VM a stable private address", async () => {
    const provider = simulator();
    const vm = await provider.createVm(vmRequest("default/web"));
    expect((await provider.findVm("default/web"))?.operation).toBeNull();

    await provider.setPowerState(vm.id, "PoweredOn", "Hard");
    const running = await provider.findVm("default/web");
    expect(running).toMatchObject({ powerState: "PoweredOn", operation: null, lastError: null });
    expect(running?.ipAddress).toMatch(/^10\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d{1,3}\.\d{1,3}$/);

    await provider.setPowerState(vm.id, "PoweredOff", "Soft");
    // A guest that is not running reports no address; it gets its own back when it runs again.
    expect(await provider.findVm("default/web")).toMatchObject({ powerState: "PoweredOff", ipAddress: null });
    await provider.setPowerState(vm.id, "PoweredOn", "Hard");
    expect(await provider.findVm("default/web")).toMatchObject({ powerState: "PoweredOn", ipAddress: running?.ipAddress });
  });

  it("at speed 1 reports progress and completes after the operation's duration", async () => {
    const provider = simulator({ speed: 1 });
    const vm = await provider.createVm(vmRequest("default/web", { diskGiB: 40 })); // 4 s clone
    advance(1);
    expect((await provider.findVm("default/web"))?.operation).toEqual({
      name: "create",
      progress: 25,
      completesAt: new Date(start.getTime() + 4000),
    });
    advance(3);
    expect((await provider.findVm("default/web"))?.operation).toBeNull();

    await provider.setPowerState(vm.id, "PoweredOn", "Hard"); // 2 s
    advance(1.5);
    expect(await provider.findVm("default/web")).toMatchObject({ powerState: "PoweredOff", operation: { name: "powerOn", progress: 75 } });
    await expect(provider.setPowerState(vm.id, "PoweredOff", "Hard")).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/busy/),
    });
    advance(0.5);
    // Several processes observing at once: one settles, all see the result.
    const seen = await Promise.all([provider.findVm("default/web"), simulator({ speed: 1 }).listVms(), provider.findVm("default/web")]);
    expect(seen.flat().map((v) => [v?.powerState, v?.operation])).toEqual([["PoweredOn", null], ["PoweredOn", null], ["PoweredOn", null]]);

    await provider.setPowerState(vm.id, "PoweredOff", "TrySoft");
    const shutdown = (await provider.findVm("default/web"))?.operation;
    expect(shutdown).toMatchObject({ name: "shutdownGuest", completesAt: new Date(now.getTime() + 5000) });
  });

  it("with failure rate 1 fails the operation, keeps the state and reports why", async () => {
    const vm = await simulator().createVm(vmRequest("default/web"));
    await simulator().findVm("default/web");
    const failing = simulator({ failureRate: 1 });
    await failing.setPowerState(vm.id, "PoweredOn", "Hard");
    expect(await failing.findVm("default/web")).toMatchObject({
      powerState: "PoweredOff",
      ipAddress: null,
      operation: null,
      lastError: expect.stringMatching(/^Power on failed: .*\(simulated\)$/),
    });
    // The next operation clears the error.
    await simulator().setPowerState(vm.id, "PoweredOn", "Hard");
    expect(await simulator().findVm("default/web")).toMatchObject({ powerState: "PoweredOn", lastError: null });
  });

  it("keeps a VM whose clone failed, with the error, and clones again when asked for it again", async () => {
    const failed = await simulator({ failureRate: 1 }).createVm(vmRequest("default/web"));
    expect(await simulator().findVm("default/web")).toMatchObject({
      id: failed.id,
      operation: null,
      lastError: expect.stringMatching(/^Clone failed/),
    });
    const retried = await simulator({ speed: 1 }).createVm(vmRequest("default/web"));
    expect(retried).toMatchObject({ id: failed.id, lastError: null, operation: { name: "create" } });
  });

  it("decides failures deterministically from the seed", async () => {
    const outcomes = async (seed: number) => {
      await pool.query("TRUNCATE sim_vms");
      const provider = simulator({ failureRate: 0.5, seed });
      const results: boolean[] = [];
      for (let i = 0; i < 8; i++) {
        // Fixed ids, so both runs start the same operations on the same VMs at the same instant.
        const id = `vm-0000000${i}`;
        await pool.query(
          `INSERT INTO sim_vms (id, owner_key, host, datastore, power_state, cpus, memory_mib, disk_gib)
           VALUES ($1, $1, 'esx-01', 'ds-01', 'PoweredOff', 1, 1024, 10)`,
          [id],
        );
        await provider.setPowerState(id, "PoweredOn", "Hard");
        results.push((await provider.findVm(id))?.lastError !== null);
      }
      return results;
    };
    const first = await outcomes(1);
    expect(await outcomes(1)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});

describe("hosts", () => {
  it("lists hosts with their heartbeat, and a failed host as not responding since it failed", async () => {
    const provider = simulator();
    await addHosts(provider, "esx-01"); // adding again changes nothing
    expect(await provider.listHosts()).toEqual([
      {
        name: "esx-01",
        cluster: "cluster-a",
        connectionState: "connected",
        lastHeartbeat: start,
        cpuCores: 32,
        cpuMhz: 2600,
        memoryMiB: 262_144,
        datastores: ["ds-01"],
        version: "8.0.3",
        reportsOwnNode: false,
        heartbeatExpiresAt: null,
        liveMigration: true,
      },
      expect.objectContaining({ name: "esx-02", connectionState: "connected" }),
    ]);
    await provider.failHost("esx-01");
    const failedAt = now;
    advance(60);
    await provider.failHost("esx-01");
    expect(await provider.listHosts()).toMatchObject([
      { name: "esx-01", connectionState: "notResponding", lastHeartbeat: failedAt },
      { name: "esx-02", connectionState: "connected", lastHeartbeat: now },
    ]);
  });

  it("finds one host by name, or none", async () => {
    const provider = simulator();
    await provider.failHost("esx-02");
    advance(5);
    expect(await provider.findHost("esx-01")).toEqual((await provider.listHosts())[0]);
    expect(await provider.findHost("esx-02")).toMatchObject({ connectionState: "notResponding", lastHeartbeat: start });
    expect(await provider.findHost("esx-99")).toBeNull();
  });

  it("lists only the hosts whose heartbeat stopped before a given instant", async () => {
    const provider = simulator();
    await provider.failHost("esx-02");
    expect(await provider.staleHosts(start)).toEqual([]);
    advance(31);
    expect(await provider.staleHosts(new Date(now.getTime() - 30_000))).toMatchObject([{ name: "esx-02", lastHeartbeat: start }]);
  });

  it("stops a failed host's VMs and restarts them elsewhere", async () => {
    const vm = await runningVm("default/web");
    const provider = simulator({ speed: 1 });
    await provider.setPowerState(vm.id, "Suspended", "Hard"); // in flight when the host dies
    await provider.failHost("esx-01");
    expect(await provider.findVm("default/web")).toMatchObject({ host: "esx-01", powerState: "PoweredOff", operation: null });
    await expect(provider.setPowerState(vm.id, "PoweredOn", "Hard")).rejects.toMatchObject({
      retryable: true,
      message: "host esx-01 is not responding",
    });
    await expect(provider.migrateVm(vm.id, "esx-02")).rejects.toMatchObject({ retryable: true });

    await provider.restartVmOnHost(vm.id, "esx-02");
    const restarting = await provider.findVm("default/web");
    expect(restarting).toMatchObject({ host: "esx-02", powerState: "PoweredOff", operation: { name: "powerOn" } });
    advance(2);
    expect(await provider.findVm("default/web")).toMatchObject({ host: "esx-02", powerState: "PoweredOn", ipAddress: vm.ipAddress });
  });

  it("brings a recovered host back with its VMs powered off", async () => {
    await runningVm("default/web");
    const provider = simulator();
    await provider.failHost("esx-01");
    await provider.recoverHost("esx-01");
    expect((await provider.listHosts())[0]).toMatchObject({ connectionState: "connected" });
    expect(await provider.findVm("default/web")).toMatchObject({ host: "esx-01", powerState: "PoweredOff", operation: null });
  });

  it("refuses to remove a host while VMs remain on it", async () => {
    const vm = await runningVm("default/web");
    const provider = simulator();
    await expect(provider.removeHost("esx-01")).rejects.toMatchObject({ retryable: false });
    await provider.deleteVm(vm.id);
    await provider.removeHost("esx-01");
    expect((await provider.listHosts()).map((host) => host.name)).toEqual(["esx-02"]);
  });
});

describe("migration and deletion", () => {
  it("migrates a powered-on VM live to another host", async () => {
    const vm = await runningVm("default/web");
    const provider = simulator({ speed: 1 });
    await expect(provider.migrateVm(vm.id, "esx-99")).rejects.toMatchObject({ retryable: false });
    await provider.migrateVm(vm.id, "esx-02"); // 1 s + 0.25 s per GiB of 4 GiB = 2 s
    advance(1);
    const migrating = await provider.findVm("default/web");
    expect(migrating).toMatchObject({ host: "esx-01", powerState: "PoweredOn", operation: { name: "migrate", progress: 50 } });
    advance(1);
    expect(await provider.findVm("default/web")).toMatchObject({ host: "esx-02", powerState: "PoweredOn", operation: null });
  });

  it("deletes a VM once the delete has settled, and ignores unknown ids", async () => {
    const vm = await simulator().createVm(vmRequest("default/web"));
    const provider = simulator({ speed: 1 });
    await provider.deleteVm(vm.id);
    await provider.deleteVm(vm.id);
    expect((await provider.findVm("default/web"))?.operation?.name).toBe("delete");
    advance(1);
    expect(await provider.findVm("default/web")).toBeNull();
    expect(await provider.listVms()).toEqual([]);
    await provider.deleteVm(vm.id);
    await provider.deleteVm("vm-unknown");
  });
});

describe("guest load", () => {
  it("is deterministic, bounded, varies over time and is zero when powered off", async () => {
    const vm = await runningVm("default/web");
    const instants = Array.from({ length: 50 }, (_, i) => new Date(start.getTime() + i * 60_000));
    const loads = await Promise.all(instants.map((at) => simulator().guestLoad(vm.id, at)));
    expect(await Promise.all(instants.map((at) => simulator().guestLoad(vm.id, at)))).toEqual(loads);
    for (const load of loads) {
      expect(load.cpuMhz).toBeGreaterThanOrEqual(Math.floor(0.05 * 2 * 2600));
      expect(load.cpuMhz).toBeLessThanOrEqual(Math.ceil(0.95 * 2 * 2600));
      expect(load.memoryActiveMiB).toBeGreaterThanOrEqual(Math.floor(0.2 * 4096));
      expect(load.memoryActiveMiB).toBeLessThanOrEqual(Math.ceil(0.8 * 4096));
    }
    expect(new Set(loads.map((load) => load.cpuMhz)).size).toBeGreaterThan(10);

    await simulator().setPowerState(vm.id, "PoweredOff", "Hard");
    expect(await simulator().guestLoad(vm.id, start)).toEqual({ cpuMhz: 0, memoryActiveMiB: 0 });
  });
});

describe("datastore usage", () => {
  const used = async (provider: InfrastructureProvider, name: string) => (await provider.findDatastore(name))?.usedGiB;

  it("counts the VMs' disks and snapshots on top of the datastore's other files, following creates, growth, moves and deletes", async () => {
    const provider = simulator();
    await provider.addDatastore({ name: "ds-01", capacityGiB: 1000, otherUsedGiB: 100 });
    await provider.addDatastore({ name: "ds-02", capacityGiB: 500, otherUsedGiB: 0 });
    await provider.addHost({ name: "esx-03", cluster: "cluster-a", cpuCores: 32, cpuMhz: 2600, memoryMiB: 262_144, datastores: ["ds-01", "ds-02"] });
    expect(await used(provider, "ds-01")).toBe(100);
    expect(await provider.findDatastore("ds-99")).toBeNull();

    const vm = await provider.createVm(vmRequest("default/db", { host: "esx-03" }));
    expect(await used(provider, "ds-01")).toBe(120);
    await provider.reconfigureVm(vm.id, { cpus: 2, memoryMiB: 4096, diskGiB: 40 });
    expect(await used(provider, "ds-01")).toBe(140);

    // A snapshot with memory: a delta disk of a tenth of the 40 GiB disk, and the 4 GiB memory image.
    await provider.setPowerState(vm.id, "PoweredOn", "Hard");
    await provider.takeSnapshot(vm.id, { id: "snap-1", name: "before upgrade", description: "", memory: true });
    expect(await used(provider, "ds-01")).toBe(148);

    // Browse Files: the VM's folder holds what its used space counts (disk, delta disk, memory image).
    const folders = await provider.browseDatastore("ds-01");
    expect(folders?.map((folder) => [folder.name, folder.vmOwnerKey])).toEqual([["db", "default/db"], ["Other files", null]]);
    expect(folders?.[0]?.files.map((file) => [file.name, file.type])).toEqual([
      ["db.vmx", "VM configuration"],
      ["db.vmdk", "Virtual disk"],
      ["db-000001.vmdk", "Snapshot disk"],
      ["db-Snapshot1.vmsn", "Snapshot memory"],
      ["db.nvram", "NVRAM"],
      ["vmware.log", "Log"],
    ]);
    const counted = folders!.flatMap((folder) => folder.files).filter((file) => ["Virtual disk", "Snapshot disk", "Snapshot memory", "Other"].includes(file.type));
    expect(counted.reduce((sum, file) => sum + file.sizeBytes, 0) / 1024 ** 3).toBe(148);
    expect(await provider.browseDatastore("ds-99")).toBeNull();

    await provider.relocateVmStorage(vm.id, "ds-02");
    expect((await provider.browseDatastore("ds-01"))?.map((folder) => folder.name)).toEqual(["Other files"]);
    const report = await provider.performance(now);
    expect(report.datastores).toEqual([
      { name: "ds-01", capacityGiB: 1000, usedGiB: 100, hosts: ["esx-01", "esx-02", "esx-03"] },
      { name: "ds-02", capacityGiB: 500, usedGiB: 48, hosts: ["esx-03"] },
    ]);

    await provider.deleteVm(vm.id);
    expect(await used(provider, "ds-02")).toBe(0);
  });
});
