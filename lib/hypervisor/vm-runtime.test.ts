// One real guest with a qcow2 disk linked to an image, taken through what the VM's Actions ask of
// a host: snapshot with memory, grow the disk while it runs, suspend and resume (it runs on, not
// booting again), revert, reset (it boots again), guest shutdown; then the disk's snapshots while off.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DISK_NODE, launchVm, runningPid, type VmLaunch } from "@/lib/hypervisor/qemu-vm";
import {
  createEmptyDisk,
  createLinkedDisk,
  deleteSnapshot,
  diskInfo,
  growDisk,
  reset,
  resume,
  revertToSnapshot,
  shutDownGuest,
  suspend,
  suspendedStateFile,
  takeSnapshot,
} from "@/lib/hypervisor/vm-runtime";
import { lastTick, readyLines, waitForBoots } from "@/lib/hypervisor/guest-serial";
import { waitFor } from "@/lib/testing/engine-harness";
import { tinyGuests } from "@/lib/testing/qemu-guests";

const guests = tinyGuests();

const blockSize = async (qmp: Awaited<ReturnType<typeof launchVm>>) => {
  const devices = await qmp.execute<{ inserted?: { "node-name": string; image: { "virtual-size": number } } }[]>("query-block");
  return devices.find((device) => device.inserted?.["node-name"] === DISK_NODE)!.inserted!.image["virtual-size"] / 1024 ** 3;
};

describe("a VM's life on a real host", () => {
  it("snapshots, grows its disk, suspends and resumes, reverts, resets and shuts down", async () => {
    const dir = guests.scratch.vmDir("lifecycle");
    const base = path.join(dir, "..", "image-disk.qcow2");
    const disk = path.join(dir, "..", "lifecycle.qcow2");
    await createEmptyDisk(base, 1);
    await createLinkedDisk(base, disk);
    expect((await diskInfo(disk)).sizeGiB).toBe(1);

    const launch: VmLaunch = { dir, name: "lifecycle", boot: guests.image, cpus: 1, memoryMiB: 128, disk };
    let qmp = await launchVm(launch);
    await waitForBoots(dir, 1);

    await takeSnapshot(disk, "before-growth", { memory: true, qmp });
    expect((await diskInfo(disk)).snapshots).toEqual([{ tag: "before-growth", memoryBytes: expect.any(Number) }]);
    expect((await diskInfo(disk)).snapshots[0]!.memoryBytes).toBeGreaterThan(0);

    await growDisk(disk, 2, qmp);
    expect(await blockSize(qmp)).toBe(2);
    await expect(growDisk(disk, 1, qmp)).rejects.toThrow("A disk cannot shrink: it is 2 GiB and 1 GiB was asked for.");

    // Suspend: the state is saved and QEMU exits; resume runs on from there, without booting.
    await waitFor(async () => (await lastTick(dir)) >= 1, "a tick", 30_000);
    await suspend(dir, qmp);
    expect(await runningPid(dir)).toBeNull();
    expect(existsSync(suspendedStateFile(dir))).toBe(true);
    const tickAtSuspend = await lastTick(dir);
    qmp = await resume(launch);
    expect(existsSync(suspendedStateFile(dir))).toBe(false);
    await waitFor(async () => (await lastTick(dir)) > tickAtSuspend, "a tick after resuming", 30_000);
    expect(await readyLines(dir)).toHaveLength(1);

    await revertToSnapshot(disk, "before-growth", qmp);
    expect(await qmp.execute("query-status")).toMatchObject({ status: "running" });

    await reset(qmp);
    await waitForBoots(dir, 2);

    await shutDownGuest(dir, qmp);
    expect(await runningPid(dir)).toBeNull();

    await takeSnapshot(disk, "stopped", { memory: false });
    expect((await diskInfo(disk)).snapshots.map((snapshot) => snapshot.tag)).toEqual(["before-growth", "stopped"]);
    await deleteSnapshot(disk, "before-growth");
    await revertToSnapshot(disk, "stopped");
    expect((await diskInfo(disk)).snapshots).toEqual([{ tag: "stopped", memoryBytes: 0 }]);
  }, 240_000);
});
