// Storage vMotion on real tiny guests under QEMU: a running guest's disk mirrored to another
// datastore directory while its ticker runs on, a mirror that fails (no such directory, a full
// datastore, a caller that dies mid-way) leaving it on its source disk, and a stopped VM's disk copied.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readlink, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyStoppedDisk, mirrorRunningDisk, moveRunningSerialLog } from "@/lib/hypervisor/disk-relocation";
import { lastTick, readyLines, waitForBoots } from "@/lib/hypervisor/guest-serial";
import { launchVm, runningPid, vmFiles } from "@/lib/hypervisor/qemu-vm";
import { QmpClient } from "@/lib/hypervisor/qmp-client";
import { checkoutTinyImage, type TinyImage } from "@/lib/hypervisor/tiny-image";
import { attachedDisk, createEmptyDisk, createLinkedDisk, diskInfo, growDisk, takeSnapshot } from "@/lib/hypervisor/vm-runtime";
import { waitFor } from "@/lib/testing/engine-harness";
import { guestScratch, type GuestScratch } from "@/lib/testing/qemu-guests";

const run = promisify(execFile);

let image: TinyImage;
let scratch: GuestScratch;

beforeAll(async () => {
  image = await checkoutTinyImage();
  scratch = await guestScratch();
}, 180_000);
afterAll(() => scratch?.sweep());

/**
 * A VM on datastore A: its disk a linked clone of a base image that holds a pattern at 2 MiB, with
 * `written` written into the clone before QEMU starts (once it runs, only the guest may write: its
 * virtio-blk device shares no write permission, so QEMU refuses a monitor's `qemu-io` write).
 */
async function bootOnDatastoreA(name: string, written: string) {
  const runDir = scratch.vmDir(name);
  const datastore = (letter: string) => path.join(runDir, "..", `${name}-datastore-${letter}`);
  const dir = path.join(datastore("a"), "vm");
  await mkdir(dir, { recursive: true });
  const base = path.join(datastore("a"), "base.qcow2");
  const disk = path.join(dir, "disk.qcow2");
  await createEmptyDisk(base, 1);
  await run("qemu-io", ["-f", "qcow2", "-c", "write -P 0x11 2M 64k", base]);
  await createLinkedDisk(base, disk);
  await run("qemu-io", ["-f", "qcow2", "-c", written, disk]);
  const qmp = await launchVm({ dir, runDir, name, boot: image, cpus: 1, memoryMiB: 128, disk });
  return { qmp, runDir, dir, base, disk, datastoreB: datastore("b") };
}

/** Reads a pattern from a qcow2 on the host, sharing it with the QEMU that may hold it. */
async function holdsPattern(disk: string, command: string): Promise<boolean> {
  const { stdout } = await run("qemu-io", ["-r", "-U", "-f", "qcow2", "-c", command, disk]);
  return /^read /m.test(stdout) && !stdout.includes("Pattern verification failed");
}

const openFiles = async (pid: number) => Promise.all((await readdir(`/proc/${pid}/fd`)).map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")));

const ticksOn = async (dir: string) => {
  const tick = await lastTick(dir);
  await waitFor(async () => (await lastTick(dir)) > tick, "the guest's next tick", 15_000);
};

describe("storage vMotion of a running VM", () => {
  it("mirrors its disk to another datastore while the guest runs on, and QEMU leaves the old disk", async () => {
    const { qmp, runDir, dir, base, disk, datastoreB } = await bootOnDatastoreA("mirror", "write -P 0x5a 0 64k");
    await waitForBoots(dir, 1);
    const pid = await runningPid(runDir);

    const newDir = path.join(datastoreB, "vm");
    await mkdir(newDir, { recursive: true });
    const target = path.join(newDir, "disk.qcow2");
    const progress: number[] = [];
    await mirrorRunningDisk(qmp, { target, onProgress: (percent) => progress.push(percent) });

    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect((await attachedDisk(qmp)).file).toBe(target);
    expect(await runningPid(runDir)).toBe(pid);
    const files = await openFiles(pid!);
    expect(files).toContain(target);
    expect(files).not.toContain(disk);
    expect(files).not.toContain(base);

    // The new disk holds what the clone and its base held, and stands alone.
    expect(await holdsPattern(target, "read -P 0x5a 0 64k")).toBe(true);
    expect(await holdsPattern(target, "read -P 0x11 2M 64k")).toBe(true);
    const { stdout } = await run("qemu-img", ["info", "-U", "--output=json", target]);
    expect(JSON.parse(stdout)).not.toHaveProperty("backing-filename");

    // The caller moves the rest and deletes the old datastore's files; the guest ticks on in its new log.
    await moveRunningSerialLog(qmp, vmFiles(dir).serial, vmFiles(newDir).serial);
    await rm(path.join(dir, ".."), { recursive: true });
    await ticksOn(newDir);
    expect(await readyLines(newDir)).toHaveLength(1);
    expect(await qmp.execute("query-status")).toMatchObject({ status: "running" });

    // A stopped-VM copy of a disk a QEMU still holds is refused by qemu-img's lock.
    const elsewhere = path.join(datastoreB, "elsewhere.qcow2");
    await expect(copyStoppedDisk(target, elsewhere)).rejects.toThrow(/stays at .*: [\s\S]*lock/);
    expect(existsSync(elsewhere)).toBe(false);
    expect(existsSync(`${elsewhere}.partial`)).toBe(false);

    // What QEMU changes in the disk now lands in the new file: it grows, and takes a snapshot;
    // with one, the disk is not moved again.
    await growDisk(target, 2, qmp);
    await takeSnapshot(target, "after-move", { memory: false, qmp });
    expect(await diskInfo(target)).toEqual({ sizeGiB: 2, snapshots: [{ tag: "after-move", memoryBytes: 0 }] });
    const again = path.join(datastoreB, "again.qcow2");
    await expect(mirrorRunningDisk(qmp, { target: again })).rejects.toThrow(
      "The VM's disk holds snapshots (after-move): they live inside the disk and would be lost in the move. Delete the VM's snapshots, then migrate its storage.",
    );
    expect(existsSync(again)).toBe(false);
  }, 90_000);

  it("leaves the guest on its source disk when the mirror fails, and a retry after a lost connection completes", async () => {
    const { qmp: first, runDir, dir, disk, datastoreB } = await bootOnDatastoreA("mirror-failures", "write -P 0x5a 0 8M");
    await waitForBoots(dir, 1);

    const nowhere = path.join(datastoreB, "missing", "disk.qcow2");
    await expect(mirrorRunningDisk(first, { target: nowhere })).rejects.toThrow(
      new RegExp(`^Moving the disk to ${nowhere} failed, and the VM runs on from ${disk}: qemu-img create: .*No such file or directory`),
    );

    // A datastore that fills up during the copy.
    const full = path.join(datastoreB, "full");
    await mkdir(full, { recursive: true });
    await run("mount", ["-t", "tmpfs", "-o", "size=1M", "tmpfs", full]);
    try {
      await expect(mirrorRunningDisk(first, { target: path.join(full, "disk.qcow2") })).rejects.toThrow(
        `Moving the disk to ${path.join(full, "disk.qcow2")} failed, and the VM runs on from ${disk}: No space left on device`,
      );
      expect(await readdir(full)).toEqual([]);
    } finally {
      await run("umount", [full]);
    }
    expect(await attachedDisk(first)).toMatchObject({ node: "disk0", file: disk });
    expect(await first.execute("query-jobs")).toEqual([]);
    expect((await openFiles((await runningPid(runDir))!)).filter((file) => file.endsWith(".qcow2"))).not.toContain(path.join(full, "disk.qcow2"));

    // The caller loses QEMU mid-mirror (as an agent that dies would): QEMU runs on from the source,
    // and the next attempt ends the abandoned mirror and moves the disk.
    const target = path.join(datastoreB, "disk.qcow2");
    await expect(mirrorRunningDisk(first, { target, onProgress: () => first.close() })).rejects.toThrow("relocating again finishes or undoes the move");
    const qmp = await QmpClient.connect(vmFiles(dir, runDir).qmp);
    expect(await qmp.execute("query-jobs")).toEqual([expect.objectContaining({ id: "disk-relocation" })]);
    expect((await attachedDisk(qmp)).file).toBe(disk);
    await mirrorRunningDisk(qmp, { target });
    expect((await attachedDisk(qmp)).file).toBe(target);
    expect(await holdsPattern(target, "read -P 0x5a 0 8M")).toBe(true);
    await ticksOn(dir);
  }, 90_000);
});

describe("storage vMotion of a stopped VM", () => {
  it("copies its disk, backing image folded in, to an identical standalone disk with progress", async () => {
    const root = scratch.vmDir("copy");
    await mkdir(path.join(root, "b"), { recursive: true });
    const base = path.join(root, "base.qcow2");
    const source = path.join(root, "disk.qcow2");
    const target = path.join(root, "b", "disk.qcow2");
    await createEmptyDisk(base, 1);
    await run("qemu-io", ["-f", "qcow2", "-c", "write -P 0x11 0 16M", base]);
    await createLinkedDisk(base, source);
    await run("qemu-io", ["-f", "qcow2", "-c", "write -P 0x5a 8M 16M", source]);

    const progress: number[] = [];
    await copyStoppedDisk(source, target, (percent) => progress.push(percent));

    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect((await run("qemu-img", ["compare", source, target])).stdout).toContain("Images are identical.");
    expect(JSON.parse((await run("qemu-img", ["info", "--output=json", target])).stdout)).not.toHaveProperty("backing-filename");
    expect(await readdir(path.join(root, "b"))).toEqual(["disk.qcow2"]);

    await expect(copyStoppedDisk(source, target)).rejects.toThrow(`${target} already exists: a relocation never overwrites a file.`);
    await takeSnapshot(source, "kept", { memory: false });
    const other = path.join(root, "b", "other.qcow2");
    await expect(copyStoppedDisk(source, other)).rejects.toThrow("The VM's disk holds snapshots (kept)");
    expect(existsSync(other)).toBe(false);
  });
});
