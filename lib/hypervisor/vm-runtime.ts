// What a host agent does to one VM beyond starting it: its qcow2 disk (a linked clone of an
// image, grown on demand), hard and guest power-off, suspend to a state file and resume from it,
// reset, and snapshots in the disk (with the running memory, or of the disk alone).
import { execFile } from "node:child_process";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { DISK_NODE, launchVm, pollUntil, runningPid, type VmLaunch } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";

const run = promisify(execFile);
const GIB = 1024 ** 3;

export async function qemuImg(args: string[]): Promise<string> {
  try {
    return (await run("qemu-img", args, { timeout: 60_000 })).stdout;
  } catch (error) {
    throw new Error(`qemu-img ${args[0]}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}

/** A new disk that reads through to `base` and stores only what the VM writes (35 ms, whatever the size). */
export async function createLinkedDisk(base: string, disk: string, sizeGiB?: number): Promise<void> {
  await qemuImg(["create", "-q", "-f", "qcow2", "-b", path.resolve(base), "-F", "qcow2", disk, ...(sizeGiB ? [`${sizeGiB}G`] : [])]);
}

export async function createEmptyDisk(disk: string, sizeGiB: number): Promise<void> {
  await qemuImg(["create", "-q", "-f", "qcow2", disk, `${sizeGiB}G`]);
}

/**
 * A full, standalone copy of a disk (its backing image folded in, its snapshots left out), so the
 * copy outlives the source. Readable while a running VM holds the source (`-U`): the copy then
 * holds what had reached the disk, as after a power cut.
 */
export async function copyDisk(source: string, disk: string): Promise<void> {
  await qemuImg(["convert", "-U", "-O", "qcow2", source, disk]);
}

export interface DiskSnapshot {
  tag: string;
  /** Bytes of saved memory; 0 for a snapshot of the disk alone. */
  memoryBytes: number;
}

export interface DiskInfo {
  sizeGiB: number;
  snapshots: DiskSnapshot[];
}

/** The disk's virtual size and snapshots; readable while a running VM holds it (`-U`). */
export async function diskInfo(disk: string): Promise<DiskInfo> {
  const info = JSON.parse(await qemuImg(["info", "-U", "--output=json", disk])) as { "virtual-size": number; snapshots?: { name: string; "vm-state-size": number }[] };
  return { sizeGiB: info["virtual-size"] / GIB, snapshots: (info.snapshots ?? []).map((snapshot) => ({ tag: snapshot.name, memoryBytes: snapshot["vm-state-size"] })) };
}

interface BlockDevice {
  inserted?: { "node-name": string; file: string; image: { "virtual-size": number; snapshots?: { name: string }[] } };
}

/** The VM's disk as its QEMU has it attached: block node, file, virtual size in bytes, snapshot tags. */
export interface AttachedDisk {
  node: string;
  file: string;
  virtualSize: number;
  snapshots: string[];
}

/**
 * The block nodes of a VM's disk: `disk0` as launched, `disk0-<suffix>` once its disk was relocated
 * while it ran (lib/hypervisor/disk-relocation.ts; QEMU cannot rename a node), and their file nodes.
 */
export const isDiskNode = (node: string) => node === DISK_NODE || node.startsWith(`${DISK_NODE}-`);

/** The running VM's disk, whichever node it is on now. */
export async function attachedDisk(qmp: QmpClient): Promise<AttachedDisk> {
  const inserted = (await qmp.execute<BlockDevice[]>("query-block")).find((device) => device.inserted && isDiskNode(device.inserted["node-name"]))?.inserted;
  if (!inserted) throw new Error("QEMU has no disk attached to this VM");
  return { node: inserted["node-name"], file: inserted.file, virtualSize: inserted.image["virtual-size"], snapshots: (inserted.image.snapshots ?? []).map((snapshot) => snapshot.name) };
}

const diskNode = async (qmp: QmpClient) => (await attachedDisk(qmp)).node;

/** Grows the disk; while the VM runs, QEMU resizes it under the guest. Disks never shrink. */
export async function growDisk(disk: string, sizeGiB: number, qmp?: QmpClient): Promise<void> {
  const current = (await diskInfo(disk)).sizeGiB;
  if (sizeGiB < current) throw new Error(`A disk cannot shrink: it is ${current} GiB and ${sizeGiB} GiB was asked for.`);
  if (qmp) await qmp.execute("block_resize", { "node-name": await diskNode(qmp), size: sizeGiB * GIB });
  else await qemuImg(["resize", "-q", disk, `${sizeGiB}G`]);
}

const exited = (runDir: string) => async () => ((await runningPid(runDir)) === null ? true : undefined);

/** Power Off: QEMU stops at once, as pulling the plug would. `runDir` holds its pid file. */
export async function powerOffHard(runDir: string, qmp: QmpClient): Promise<void> {
  await qmp.execute("quit").catch(() => undefined);
  await pollUntil("QEMU exiting", 10_000, exited(runDir));
}

export class GuestIgnoredShutdownError extends Error {}

/** Shut Down Guest OS: the ACPI power button, which only a guest with an ACPI daemon answers. */
export async function shutDownGuest(runDir: string, qmp: QmpClient, timeoutMs = 60_000): Promise<void> {
  await qmp.execute("system_powerdown");
  try {
    await pollUntil("the guest shutting down", timeoutMs, exited(runDir));
  } catch {
    throw new GuestIgnoredShutdownError(
      `The guest did not shut down within ${Math.round(timeoutMs / 1000)} s of the ACPI power button: it may run no ACPI daemon. Power Off stops it at once.`,
    );
  }
}

/** Reset: the machine restarts as with its reset button; the guest boots again. */
export async function reset(qmp: QmpClient): Promise<void> {
  await qmp.execute("system_reset");
}

export const suspendedStateFile = (dir: string) => path.join(dir, "suspended.state");

/** Suspend: memory and device state go to a file beside the disk (in `dir`), then QEMU exits. */
export async function suspend(dir: string, qmp: QmpClient, runDir = dir): Promise<void> {
  const file = suspendedStateFile(dir);
  const partial = `${file}.partial`;
  await qmp.execute("stop");
  await qmp.execute("migrate", { uri: `exec:cat > '${partial.replaceAll("'", "'\\''")}'` });
  let failure: string | undefined;
  await pollUntil("saving the suspended state", 120_000, async () => {
    const { status, "error-desc": error } = await qmp.execute<{ status: string; "error-desc"?: string }>("query-migrate");
    if (status === "failed" || status === "cancelled") failure = error ?? status;
    return status === "completed" || failure !== undefined ? true : undefined;
  });
  if (failure) {
    await qmp.execute("cont");
    await rm(partial, { force: true });
    throw new Error(`Suspending failed, and the VM runs on: ${failure}`);
  }
  // Renamed only once complete, so a crash mid-save never leaves a state that resumes half a VM.
  await rename(partial, file);
  await powerOffHard(runDir, qmp);
}

/** Resume: a new QEMU loads the suspended state and runs on from where it stopped. */
export async function resume(launch: Omit<VmLaunch, "resumeFrom">): Promise<QmpClient> {
  const file = suspendedStateFile(launch.dir);
  const qmp = await launchVm({ ...launch, resumeFrom: file });
  await pollUntil("the suspended state loading", 120_000, async () => ((await qmp.execute<{ status: string }>("query-status")).status !== "inmigrate" ? true : undefined));
  // The state records the VM as stopped (suspend stops it before saving), so it loads paused.
  await qmp.execute("cont");
  await rm(file, { force: true });
  return qmp;
}

/** Runs a QMP job (snapshot-save, -load, -delete) to its end, and dismisses it. */
async function runJob(qmp: QmpClient, command: string, args: Record<string, unknown>): Promise<void> {
  const id = `${command}-${Date.now().toString(36)}`;
  const concluded = qmp.waitForEvent("JOB_STATUS_CHANGE", 300_000, (event) => event.data?.id === id && event.data?.status === "concluded");
  await qmp.execute(command, { "job-id": id, ...args });
  await concluded;
  const jobs = await qmp.execute<{ id: string; error?: string }[]>("query-jobs");
  const error = jobs.find((job) => job.id === id)?.error;
  await qmp.execute("job-dismiss", { id });
  if (error) throw new Error(`${command}: ${error}`);
}

/** Takes a snapshot into the disk: with the running memory (revert resumes it running), or of the disk alone. */
export async function takeSnapshot(disk: string, tag: string, options: { memory: boolean; qmp?: QmpClient }): Promise<void> {
  if (!options.qmp) return void (await qemuImg(["snapshot", "-c", tag, disk]));
  const node = await diskNode(options.qmp);
  if (options.memory) await runJob(options.qmp, "snapshot-save", { tag, vmstate: node, devices: [node] });
  else await options.qmp.execute("blockdev-snapshot-internal-sync", { device: node, name: tag });
}

/** Reverts to a snapshot: a running VM loads its memory; a stopped one gets its disk back. */
export async function revertToSnapshot(disk: string, tag: string, qmp?: QmpClient): Promise<void> {
  if (qmp) {
    const node = await diskNode(qmp);
    await runJob(qmp, "snapshot-load", { tag, vmstate: node, devices: [node] });
  } else await qemuImg(["snapshot", "-a", tag, disk]);
}

export async function deleteSnapshot(disk: string, tag: string, qmp?: QmpClient): Promise<void> {
  if (qmp) await runJob(qmp, "snapshot-delete", { tag, devices: [await diskNode(qmp)] });
  else await qemuImg(["snapshot", "-d", tag, disk]);
}
