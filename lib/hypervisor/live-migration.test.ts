// Live migration between two real QEMU processes sharing one disk (as two hosts share a datastore),
// under TCG: the guest moves with its ticker running on; and a listener without the migration's
// key cannot receive it, the source running on with the reason.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lastTick, readyLines, waitForBoots } from "@/lib/hypervisor/guest-serial";
import { listenForMigration, migrateTo, writeMigrationKey } from "@/lib/hypervisor/live-migration";
import { launchVm, runningPid } from "@/lib/hypervisor/qemu-vm";
import { createEmptyDisk } from "@/lib/hypervisor/vm-runtime";

import { waitFor } from "@/lib/testing/engine-harness";
import { tinyGuests } from "@/lib/testing/qemu-guests";

const guests = tinyGuests();

/** A running guest (the source) and a QEMU waiting for it (the destination), each with its own run directory. */
async function pair(name: string, sourceKey: string, destinationKey: string) {
  const dir = guests.scratch.vmDir(name);
  const [sourceRun, destinationRun] = [guests.scratch.vmDir(`${name}-source`), guests.scratch.vmDir(`${name}-destination`)];
  const disk = path.join(dir, "..", `${name}.qcow2`);
  await createEmptyDisk(disk, 1);
  const launch = { dir, name, boot: guests.image, cpus: 1, memoryMiB: 128, disk };
  const source = await launchVm({ ...launch, runDir: sourceRun });
  await waitForBoots(dir, 1);
  const destination = await launchVm({ ...launch, runDir: destinationRun, incoming: true });
  await writeMigrationKey(path.join(sourceRun, "key"), sourceKey);
  await writeMigrationKey(path.join(destinationRun, "key"), destinationKey);
  const port = await listenForMigration(destination, { address: "127.0.0.1", keyDir: path.join(destinationRun, "key") });
  return { dir, source, destination, sourceRun, destinationRun, port };
}

describe("live migration", () => {
  it("moves a running guest to the other QEMU over TLS with the shared key: its ticker runs on there, no second boot", async () => {
    const key = randomBytes(32).toString("hex");
    const { dir, source, destination, sourceRun, destinationRun, port } = await pair("mig-ok", key, key);
    await waitFor(async () => (await lastTick(dir)) >= 1, "a first tick", 30_000);
    const progress: number[] = [];
    const figures = await migrateTo(source, { address: "127.0.0.1", port, keyDir: path.join(sourceRun, "key"), onProgress: (percent) => progress.push(percent) });
    expect(figures.totalTimeMs).toBeGreaterThan(0);
    expect(figures.transferredBytes).toBeGreaterThan(1024 * 1024);
    expect(figures.downtimeMs).toBeLessThan(2_000);
    expect(progress.at(-1)).toBe(100);
    expect(await source.execute("query-status")).toMatchObject({ status: "postmigrate" });
    await waitFor(async () => (await destination.execute<{ status: string }>("query-status")).status === "running", "the destination running", 10_000);
    await source.execute("quit");
    await waitFor(async () => (await runningPid(sourceRun)) === null, "the source QEMU gone", 10_000);

    const tick = await lastTick(dir);
    await waitFor(async () => (await lastTick(dir)) > tick, "a tick from the destination", 15_000);
    expect(await readyLines(dir)).toHaveLength(1);
    expect(await runningPid(destinationRun)).not.toBeNull();
  }, 90_000);

  it("refuses a destination without the key: the handshake fails, and the guest runs on at the source", async () => {
    const { dir, source, destinationRun, sourceRun, port } = await pair("mig-wrong-key", randomBytes(32).toString("hex"), randomBytes(32).toString("hex"));
    await expect(migrateTo(source, { address: "127.0.0.1", port, keyDir: path.join(sourceRun, "key") })).rejects.toThrow(/The live migration failed: .+\. The VM runs on where it was\./);
    expect(await source.execute("query-status")).toMatchObject({ status: "running" });
    const tick = await lastTick(dir);
    await waitFor(async () => (await lastTick(dir)) > tick, "a tick at the source", 15_000);
    await expect(writeMigrationKey(path.join(destinationRun, "bad"), "not-hex")).rejects.toThrow(/64 hexadecimal digits/);
  }, 90_000);
});
