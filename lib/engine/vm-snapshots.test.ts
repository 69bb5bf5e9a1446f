import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { createVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { deleteAllSnapshots, deleteSnapshot, revertToSnapshot, takeSnapshot } from "@/lib/engine/operations/vm-snapshots";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { flattenSnapshotTree } from "@/lib/engine/snapshot-tree";
import { createHarness, isReady, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
  harness.startEngine();
});
afterAll(() => harness.stop());

const VM = { namespace: NAMESPACE, name: "snap-1" };

/** The VM once it has carried out everything asked of it. */
const settled = (powerState: string) =>
  waitFor(async () => {
    const vm = await vmStatus(harness.pool, VM.name);
    const status = vm?.status as VirtualMachineStatus | undefined;
    return vm && status && isReady(status) && status.powerState === powerState && status.observedGeneration === vm.generation && { vm, status };
  }, `${VM.name} ${powerState} with its snapshot request carried out`, 20_000);

const tree = (status: VirtualMachineStatus) =>
  flattenSnapshotTree(status.snapshots ?? []).map(({ node, depth }) => `${"  ".repeat(depth)}${node.name}${node.id === status.currentSnapshot ? " (here)" : ""}`);

async function tasks() {
  const { rows } = await harness.pool.query<{ operation: string; state: string }>(
    `SELECT operation, state FROM tasks WHERE target_name = $1 AND operation LIKE '%Snapshot%' ORDER BY queued_at`,
    [VM.name],
  );
  return rows.map((row) => `${row.operation} ${row.state}`);
}

describe("VM snapshots through the engine", () => {
  it("takes, reverts (restoring the power state), deletes and deletes all; the tree is in the VM's status", async () => {
    await createVirtualMachine(OPERATOR, { ...VM, spec: vmSpec() });
    await settled("PoweredOn");

    await takeSnapshot(OPERATOR, { ...VM, snapshotName: "before upgrade", memory: true });
    let { status } = await settled("PoweredOn");
    expect(tree(status)).toEqual(["before upgrade (here)"]);
    const base = status.snapshots![0]!;
    expect(base).toMatchObject({ includesMemory: true, powerState: "PoweredOn" });

    await setVirtualMachinePowerState(OPERATOR, { ...VM, powerState: "PoweredOff", powerOffMode: "Hard" });
    await settled("PoweredOff");
    await expect(takeSnapshot(OPERATOR, { ...VM, snapshotName: "cold", memory: true })).rejects.toThrow(InvalidInputError);
    await takeSnapshot(OPERATOR, { ...VM, snapshotName: "cold", memory: false });
    ({ status } = await settled("PoweredOff"));
    expect(tree(status)).toEqual(["before upgrade", "  cold (here)"]);

    await revertToSnapshot(OPERATOR, { ...VM, snapshotId: base.id });
    ({ status } = await settled("PoweredOn"));
    expect(tree(status)).toEqual(["before upgrade (here)", "  cold"]);

    await deleteSnapshot(OPERATOR, { ...VM, snapshotId: base.id });
    ({ status } = await settled("PoweredOn"));
    expect(tree(status)).toEqual(["cold"]);

    await deleteAllSnapshots(OPERATOR, VM);
    ({ status } = await settled("PoweredOn"));
    expect(status.snapshots ?? []).toEqual([]);
    await expect(deleteAllSnapshots(OPERATOR, VM)).rejects.toThrow(/has no snapshots to delete/);
    await waitFor(async () => (await tasks()).every((task) => task.endsWith("success")) && (await tasks()).length === 5, "snapshot tasks succeeded");
    expect(await tasks()).toEqual([
      "VirtualMachine.createSnapshot success",
      "VirtualMachine.createSnapshot success",
      "VirtualMachine.revertToSnapshot success",
      "VirtualMachine.removeSnapshot success",
      "VirtualMachine.removeAllSnapshots success",
    ]);
  });
});
