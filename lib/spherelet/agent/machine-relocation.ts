// Storage vMotion on this host: a VM's files move from one of its datastores' directories to
// another's. Running, its disk is mirrored under the guest (lib/hypervisor/disk-relocation.ts) and
// its serial log moved while QEMU holds it; stopped or suspended, the disk is copied, and the serial
// log and suspended state with it. machine.json moves last: the directory that holds it is where
// the VM is, so an agent that dies mid-way finds the VM whole at its source (or, once the record
// has moved, at its target) and a leftover directory to remove.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readlink, realpath, rm } from "node:fs/promises";
import path from "node:path";
import { copyStoppedDisk, mirrorRunningDisk, moveRunningSerialLog, type OnProgress } from "@/lib/hypervisor/disk-relocation";
import { vmFiles } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";
import { attachedDisk, suspendedStateFile } from "@/lib/hypervisor/vm-runtime";
import type { MountedDatastore } from "@/lib/spherelet/agent/datastore-dirs";
import { machineDir, machinePaths, writeRecord, type MachinePaths, type MachineRecord } from "@/lib/spherelet/agent/machine-files";

/** Where a machine's files are: the datastore whose directory holds its record, and any other directory left with some of them. */
export interface MachineLocation {
  home: MountedDatastore;
  leftovers: MountedDatastore[];
}

const samePath = async (a: string, b: string) => (await realpath(a).catch(() => path.resolve(a))) === (await realpath(b).catch(() => path.resolve(b)));

/**
 * Finds the machine on this host's datastores: the one whose directory holds its machine.json
 * (the spec's datastore first, should two), else one that holds some of its files, else null
 * (nothing is on disk yet).
 */
export async function locateMachine(mounted: MountedDatastore[], id: string, preferred: string): Promise<MachineLocation | null> {
  const holding: MountedDatastore[] = [];
  for (const datastore of mounted) {
    // Two names for one directory (a symlink, say) are one place.
    if (!existsSync(machineDir(datastore.dir, id))) continue;
    let seen = false;
    for (const other of holding) seen ||= await samePath(other.dir, datastore.dir);
    if (!seen) holding.push(datastore);
  }
  const pick = (list: MountedDatastore[]) => list.find((datastore) => datastore.name === preferred) ?? list[0];
  const home = pick(holding.filter((datastore) => existsSync(machinePaths(datastore.dir, id).record))) ?? pick(holding);
  return home ? { home, leftovers: holding.filter((datastore) => datastore !== home) } : null;
}

/** The files under `dir` that the process has open. */
async function openFilesUnder(pid: number, dir: string): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  const files = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")));
  return files.filter((file) => file.startsWith(`${dir}${path.sep}`));
}

export interface Move {
  id: string;
  from: MountedDatastore;
  to: MountedDatastore;
  record: MachineRecord;
  onProgress: OnProgress;
}

async function targetPaths({ id, from, to }: Move): Promise<MachinePaths> {
  if (await samePath(from.dir, to.dir)) throw new Error(`Datastores ${from.name} and ${to.name} are one directory on this host (${to.dir}): there is nothing to move.`);
  const target = machinePaths(to.dir, id);
  await mkdir(target.dir, { recursive: true });
  return target;
}

/** The record lands at the target, then leaves the source: from then on the VM is at the target. */
async function commit(source: MachinePaths, target: MachinePaths, record: MachineRecord): Promise<void> {
  await writeRecord(target, record);
  await rm(source.record, { force: true });
}

/** Moves a running VM's files: the disk mirrored while the guest runs on, then its serial log, then its record; the source directory goes. */
export async function moveRunningMachine(qmp: QmpClient, move: Move): Promise<void> {
  const source = machinePaths(move.from.dir, move.id);
  const target = await targetPaths(move);
  // What an earlier attempt left at the target goes, unless QEMU already runs on its disk there.
  if ((await attachedDisk(qmp)).file !== target.disk) await rm(target.dir, { recursive: true, force: true }).then(() => mkdir(target.dir));
  await mirrorRunningDisk(qmp, { target: target.disk, onProgress: move.onProgress });
  // Absent when an attempt that died after moving it is finished.
  if (existsSync(vmFiles(source.dir).serial)) await moveRunningSerialLog(qmp, vmFiles(source.dir).serial, vmFiles(target.dir).serial);
  await commit(source, target, move.record);
  await rm(source.dir, { recursive: true, force: true });
}

/** Moves a stopped or suspended VM's files: its disk copied (with progress), its serial log and suspended state, then its record; the source directory goes. */
export async function moveStoppedMachine(move: Move): Promise<void> {
  const source = machinePaths(move.from.dir, move.id);
  const target = await targetPaths(move);
  // No QEMU runs it: whatever an earlier attempt left at the target is no one's.
  await rm(target.dir, { recursive: true, force: true });
  await mkdir(target.dir);
  try {
    await copyStoppedDisk(source.disk, target.disk, move.onProgress);
    for (const file of [vmFiles(source.dir).serial, suspendedStateFile(source.dir)]) {
      if (existsSync(file)) await copyFile(file, path.join(target.dir, path.basename(file)));
    }
  } catch (error) {
    await rm(target.dir, { recursive: true, force: true });
    throw error;
  }
  await commit(source, target, move.record);
  await rm(source.dir, { recursive: true, force: true });
}

/**
 * Removes the machine's directories other than its home, which a move that did not finish left
 * behind; a serial log QEMU still writes there is moved home first. A directory QEMU still has
 * other files open in is left, and answered.
 */
export async function removeLeftovers(id: string, location: MachineLocation, running: { pid: number; qmp: QmpClient } | null): Promise<string[]> {
  const kept: string[] = [];
  const home = machinePaths(location.home.dir, id);
  for (const leftover of location.leftovers) {
    const dir = machineDir(leftover.dir, id);
    if (running) {
      const serial = vmFiles(dir).serial;
      if ((await openFilesUnder(running.pid, dir)).includes(serial)) await moveRunningSerialLog(running.qmp, serial, vmFiles(home.dir).serial);
      if ((await openFilesUnder(running.pid, dir)).length > 0) {
        kept.push(dir);
        continue;
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
  return kept;
}
