// Storage vMotion on a real host: a VM's disk moves to another directory (another datastore's).
// A running VM's disk is mirrored by QEMU while the guest runs on, and QEMU switches the guest to
// the copy; a stopped VM's disk is copied by qemu-img. Either way the new disk stands alone, its
// backing image folded in, since the other datastore may not hold the image the VM was cloned from.
// A disk that holds snapshots is refused: they live inside the qcow2, and neither a mirror nor a
// convert carries them, so moving it would silently lose them.
// Once a function here returns, the disk is at the target and the source disk file is no longer
// used: the caller deletes it and moves the VM's other files (machine.json; a running VM's serial
// log with moveRunningSerialLog, since its QEMU holds that file open).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, rename, rm } from "node:fs/promises";
import { DISK_NODE, pollUntil } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";
import { attachedDisk, diskInfo, isDiskNode, qemuImg, type AttachedDisk } from "@/lib/hypervisor/vm-runtime";

export type OnProgress = (percent: number) => void;

/** The mirror's job id: one relocation at a time per VM, and a retry finds an abandoned one by it. */
const MIRROR_JOB = "disk-relocation";
/** The serial console's chardev, as launchVm names it (lib/hypervisor/qemu-vm.ts). */
const SERIAL_CHARDEV = "serial0";
const POLL_MS = 100;

interface Job {
  id: string;
  status: string;
  "current-progress": number;
  "total-progress": number;
  error?: string;
}

interface NamedNode {
  "node-name": string;
  file: string;
}

const fileNode = (node: string) => `${node}-file`;
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a disk that holds these snapshots is not moved. */
export const snapshotsRefusal = (snapshots: string[]) =>
  `The VM's disk holds snapshots (${snapshots.join(", ")}): they live inside the disk and would be lost in the move. Delete the VM's snapshots, then migrate its storage.`;

function refuseSnapshots(snapshots: string[]): void {
  if (snapshots.length > 0) throw new Error(snapshotsRefusal(snapshots));
}

function refuseExisting(target: string): void {
  if (existsSync(target)) throw new Error(`${target} already exists: a relocation never overwrites a file. Remove it if an earlier attempt left it.`);
}

/** Reports 0, then whole percents as they grow; 100 is left for the caller to report once the disk is whole. */
function progressReporter(onProgress: OnProgress) {
  let reported = 0;
  onProgress(0);
  return (done: number, total: number) => {
    const percent = Math.min(99, total > 0 ? Math.floor((100 * done) / total) : 0);
    if (percent > reported) onProgress((reported = percent));
  };
}

const mirrorJob = async (qmp: QmpClient) => (await qmp.execute<Job[]>("query-jobs")).find((job) => job.id === MIRROR_JOB);

/** Ends the mirror job if there is one, without switching the VM to its target, and dismisses it. */
async function endMirrorJob(qmp: QmpClient): Promise<void> {
  const job = await mirrorJob(qmp);
  if (!job) return;
  if (job.status !== "concluded") {
    await qmp.execute("job-cancel", { id: MIRROR_JOB }).catch(() => undefined);
    await pollUntil("the mirror job ending", 30_000, async () => ((await mirrorJob(qmp))?.status === "concluded" ? true : undefined));
  }
  await qmp.execute("job-dismiss", { id: MIRROR_JOB });
}

/**
 * Closes the disk's block nodes that the guest no longer uses (the source after a switch, or the
 * target of an abandoned attempt), format nodes before the file nodes under them; answers the files
 * they held. A node that will not close only keeps its file open until QEMU exits.
 */
async function closeDetachedNodes(qmp: QmpClient, current: string): Promise<string[]> {
  const inUse = new Set([current, fileNode(current)]);
  const detached = (await qmp.execute<NamedNode[]>("query-named-block-nodes")).filter(
    (node) => isDiskNode(node["node-name"]) && !inUse.has(node["node-name"]),
  );
  const formatNodesFirst = detached.sort((a, b) => Number(a["node-name"].endsWith("-file")) - Number(b["node-name"].endsWith("-file")));
  for (const node of formatNodesFirst) await qmp.execute("blockdev-del", { "node-name": node["node-name"] }).catch(() => undefined);
  return detached.map((node) => node.file);
}

/** Copies until the target holds the whole disk, then has QEMU switch the guest to it. */
async function followMirror(qmp: QmpClient, onProgress: OnProgress): Promise<void> {
  const report = progressReporter(onProgress);
  let completing = false;
  for (;;) {
    const job = await mirrorJob(qmp);
    if (!job) throw new Error("the mirror job vanished");
    if (job.status === "concluded") {
      if (job.error) throw new Error(job.error);
      return void (await qmp.execute("job-dismiss", { id: MIRROR_JOB }));
    }
    report(job["current-progress"], job["total-progress"]);
    if (job.status === "ready" && !completing) {
      completing = true;
      await qmp.execute("job-complete", { id: MIRROR_JOB });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Moves a running VM's disk to a new, standalone qcow2 at `target` while the guest runs on; QEMU
 * then reads and writes only the target. The mirror copies in write-blocking mode: each guest write
 * reaches both disks before it completes, so the copy converges however busy the guest is.
 *
 * Refused, changing nothing, when the disk holds snapshots or `target` exists. On any other failure
 * the mirror is cancelled, the partial target removed, and the VM runs on from its source disk;
 * the error says what failed. Called again after its caller died mid-way (QEMU still running), it
 * ends the abandoned mirror and starts over; if the switch had already happened, it just returns.
 * The disk's block node is renamed by the move (attachedDisk in vm-runtime.ts finds it).
 */
export async function mirrorRunningDisk(qmp: QmpClient, { target, onProgress = () => {} }: { target: string; onProgress?: OnProgress }): Promise<void> {
  const source = await attachedDisk(qmp);
  if (source.file === target) {
    await closeDetachedNodes(qmp, source.node);
    return onProgress(100);
  }
  refuseSnapshots(source.snapshots);
  // An earlier call that died mid-way left its mirror running in QEMU, and its target.
  await endMirrorJob(qmp);
  if ((await closeDetachedNodes(qmp, source.node)).includes(target)) await rm(target, { force: true });
  refuseExisting(target);

  // Node names must differ from every node QEMU has had; the time makes them so.
  const node = `${DISK_NODE}-${Date.now().toString(36)}`;
  try {
    await qemuImg(["create", "-q", "-f", "qcow2", target, String(source.virtualSize)]);
    await qmp.execute("blockdev-add", { driver: "file", filename: target, "node-name": fileNode(node) });
    await qmp.execute("blockdev-add", { driver: "qcow2", file: fileNode(node), "node-name": node });
    await qmp.execute("blockdev-mirror", { "job-id": MIRROR_JOB, device: source.node, target: node, sync: "full", "copy-mode": "write-blocking", "auto-dismiss": false });
    await followMirror(qmp, onProgress);
    if ((await attachedDisk(qmp)).file !== target) throw new Error("QEMU ended the mirror without switching to the target");
  } catch (error) {
    await abandonMirror(qmp, source.file, target, reason(error));
  }
  await closeDetachedNodes(qmp, node);
  onProgress(100);
}

/**
 * After a failed mirror: removes the target only once QEMU confirms the guest is not on it (a
 * target the guest already uses is the moved disk, whatever failed on the way), then throws.
 */
async function abandonMirror(qmp: QmpClient, sourceFile: string, target: string, failure: string): Promise<void> {
  let current: AttachedDisk;
  try {
    await endMirrorJob(qmp);
    current = await attachedDisk(qmp);
    if (current.file !== target) await closeDetachedNodes(qmp, current.node);
  } catch (error) {
    throw new Error(
      `Moving the disk to ${target} failed: ${failure}. QEMU did not answer while cleaning up (${reason(error)}), so ${target} is left as it is; relocating again finishes or undoes the move.`,
    );
  }
  if (current.file === target) return;
  await rm(target, { force: true });
  throw new Error(`Moving the disk to ${target} failed, and the VM runs on from ${sourceFile}: ${failure}`);
}

/**
 * Copies a stopped VM's disk to a new, standalone qcow2 at `target`, reporting progress 0–100. The
 * copy is written as `<target>.partial` and renamed once whole and flushed, so a disk at `target` is
 * always complete. Refused, changing nothing, when the disk holds snapshots, `target` exists, or a
 * QEMU still has the disk open (qemu-img then cannot take its lock).
 */
export async function copyStoppedDisk(source: string, target: string, onProgress: OnProgress = () => {}): Promise<void> {
  refuseSnapshots((await diskInfo(source)).snapshots.map((snapshot) => snapshot.tag));
  refuseExisting(target);
  const partial = `${target}.partial`;
  try {
    await convertWithProgress(source, partial, progressReporter(onProgress));
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`Copying the disk to ${target} failed, and the VM's disk stays at ${source}: ${reason(error)}`);
  }
  onProgress(100);
}

/** `qemu-img convert -p`, whose progress lines on stdout read `(12.34/100%)`. */
function convertWithProgress(source: string, target: string, report: (done: number, total: number) => void): Promise<void> {
  // -t writeback: the copy is flushed when qemu-img closes it (convert's default cache skips flushes).
  const child = spawn("qemu-img", ["convert", "-p", "-t", "writeback", "-O", "qcow2", source, target], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    for (const match of chunk.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)) report(Number(match[1]), 100);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(stderr.trim() || `qemu-img convert exited with ${code}`))));
  });
}

/**
 * Moves a running VM's serial log, which its QEMU holds open, to `target`: the VM pauses for the
 * moment it takes to copy the log and point the serial console at the copy, so no line is lost or
 * out of order. A VM that was paused stays paused.
 */
export async function moveRunningSerialLog(qmp: QmpClient, source: string, target: string): Promise<void> {
  const { running } = await qmp.execute<{ running: boolean }>("query-status");
  if (running) await qmp.execute("stop");
  try {
    await copyFile(source, target);
    await qmp.execute("chardev-change", { id: SERIAL_CHARDEV, backend: { type: "file", data: { out: target, append: true } } });
  } catch (error) {
    await rm(target, { force: true });
    throw new Error(`Moving the serial log to ${target} failed, and it stays at ${source}: ${reason(error)}`);
  } finally {
    if (running) await qmp.execute("cont");
  }
  await rm(source, { force: true });
}
