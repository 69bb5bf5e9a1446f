import pg from "pg";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/provider/provider";
import { createSimulator } from "@/lib/simulator/simulator";
import { flattenSnapshotTree, snapshotTree } from "@/lib/engine/snapshot-tree";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
afterAll(() => pool.end());

let now = new Date("2026-03-01T12:00:00.000Z");
const instant = createSimulator({ db: pool, speed: 0, failureRate: 0, seed: 7, now: () => now });

async function runningVm() {
  const vm = await instant.createVm({ ownerKey: "apps/snap", host: "esx-01", datastore: "ds-01", cpus: 2, memoryMiB: 4096, diskGiB: 20, imageName: "photon-5" });
  await instant.setPowerState(vm.id, "PoweredOn", "Hard");
  return vm.id;
}

const take = (id: string, snapshot: string, memory: boolean) => instant.takeSnapshot(id, { id: snapshot, name: snapshot, description: "", memory });
const read = async () => (await instant.findVm("apps/snap"))!;
const shape = async () => {
  const vm = await read();
  return flattenSnapshotTree(snapshotTree(vm.snapshots)).map(({ node, depth }) => `${"  ".repeat(depth)}${node.id}${node.id === vm.currentSnapshotId ? " (here)" : ""}`);
};

beforeEach(async () => {
  await pool.query("TRUNCATE sim_vms, sim_hosts");
  await instant.addHost({ name: "esx-01", cluster: "cluster-a", cpuCores: 32, cpuMhz: 2600, memoryMiB: 262_144, datastores: ["ds-01"] });
});

describe("simulated VM snapshots", () => {
  it("builds a tree: a snapshot taken after reverting starts a new branch under the snapshot reverted to", async () => {
    const id = await runningVm();
    await take(id, "base", true);
    await take(id, "patched", false);
    await instant.revertToSnapshot(id, "base", "r1");
    await take(id, "experiment", false);
    expect(await shape()).toEqual(["base", "  patched", "  experiment (here)"]);
  });

  it("restores the power state: with memory the VM runs again, without it the VM is powered off", async () => {
    const id = await runningVm();
    await take(id, "running", true);
    await take(id, "disks-only", false);
    await instant.setPowerState(id, "PoweredOff", "Hard");
    await instant.revertToSnapshot(id, "running", "r1");
    expect(await read()).toMatchObject({ powerState: "PoweredOn", currentSnapshotId: "running" });
    await instant.revertToSnapshot(id, "disks-only", "r2");
    expect(await read()).toMatchObject({ powerState: "PoweredOff", currentSnapshotId: "disks-only" });
  });

  it("deleting a snapshot moves its children to its parent and 'You are here' up when it was current", async () => {
    const id = await runningVm();
    await take(id, "a", false);
    await take(id, "b", false);
    await take(id, "c", false);
    await instant.removeSnapshot(id, "b", "d1");
    expect(await shape()).toEqual(["a", "  c (here)"]);
    await instant.removeSnapshot(id, "c", "d2");
    expect(await shape()).toEqual(["a (here)"]);
    await instant.removeSnapshot(id, null, "d3");
    expect(await read()).toMatchObject({ snapshots: [], currentSnapshotId: null, lastSnapshotRequest: "d3" });
  });

  it("carries out a request once, takes time at speed 1, and refuses memory of a powered-off VM", async () => {
    const id = await runningVm();
    const timed = createSimulator({ db: pool, speed: 1, failureRate: 0, seed: 7, now: () => now });
    await timed.takeSnapshot(id, { id: "s1", name: "s1", description: "", memory: true });
    await timed.takeSnapshot(id, { id: "s1", name: "s1", description: "", memory: true });
    expect((await timed.findVm("apps/snap"))!.operation?.name).toBe("createSnapshot");
    now = new Date(now.getTime() + 5_000);
    expect(await shape()).toEqual(["s1 (here)"]);

    await instant.setPowerState(id, "PoweredOff", "Hard");
    await expect(take(id, "s2", true)).rejects.toThrow(ProviderError);
    await expect(take(id, "s2", true)).rejects.toThrow(/only while the VM is powered on/);
  });
});
