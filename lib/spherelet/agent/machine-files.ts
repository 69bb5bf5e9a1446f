// Where a host agent keeps things under its datastore directory, and the small record it keeps
// beside each VM's disk: `<datastore>/vms/<id>/` (disk, QEMU's pid file, QMP socket, serial log,
// machine.json) and `<datastore>/images/<image>/` (the image's files, fetched from the content library).
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BootSource } from "@/lib/hypervisor/qemu-vm";
import type { MachineStatus, MigrationOutcome } from "@/lib/spherelet/machine-protocol";

/** Ids and image names become directory names: one path segment of plain characters, never `..`. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function segment(kind: string, name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`${kind} ${JSON.stringify(name)} is not a usable directory name: it must match ${SAFE_NAME}`);
  return name;
}

export const machineDir = (datastoreDir: string, id: string) => path.join(datastoreDir, "vms", segment("machine id", id));
export const imageDir = (datastoreDir: string, image: string) => path.join(datastoreDir, "images", segment("image", image));

export interface MachinePaths {
  dir: string;
  disk: string;
  record: string;
}

export function machinePaths(datastoreDir: string, id: string): MachinePaths {
  const dir = machineDir(datastoreDir, id);
  return { dir, disk: path.join(dir, "disk.qcow2"), record: path.join(dir, "machine.json") };
}

export interface ImageFiles {
  boot: BootSource;
  /** The base disk VMs are linked clones of, if the image has one; else a VM gets an empty disk. */
  baseDisk: string | null;
}

/**
 * What the image's directory holds, as the content library's store names the files of each kind
 * (lib/library/image-manifest.ts): a kernel and initramfs, a base disk, or an ISO; null when it
 * holds none of them (the image is not on this host yet).
 */
export function imageFiles(datastoreDir: string, image: string): ImageFiles | null {
  const dir = imageDir(datastoreDir, image);
  const file = (name: string) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : null);
  const [kernel, initrd, baseDisk, cdrom] = [file("vmlinuz"), file("initrd.img"), file("disk.qcow2"), file("cdrom.iso")];
  if (kernel && initrd) return { boot: { kernel, initrd }, baseDisk };
  if (baseDisk) return { boot: { cdrom: null }, baseDisk };
  if (cdrom) return { boot: { cdrom }, baseDisk: null };
  return null;
}

export interface Hardware {
  cpus: number;
  memoryMiB: number;
}

/** What the agent remembers about a VM between its own restarts (QEMU and the disk say the rest). */
export interface MachineRecord {
  snapshots: MachineStatus["snapshots"];
  currentSnapshotId: string | null;
  lastRequest: string | null;
  /** The last step's failure, cleared when that step next succeeds or the spec changes. */
  lastError: { step: string; generation: number; message: string } | null;
  /** The hardware QEMU was last started with: what a running or suspended VM has. */
  startedWith: Hardware | null;
  /** The serial log's length when QEMU last booted the guest: an address printed before it is stale. */
  bootLogOffset: number;
  /** The spec generation whose Shut Down the guest ignored: the button is not pressed again for it. */
  ignoredShutdownGeneration: number | null;
  /**
   * The spec generation the VM was last powered on for. A VM of that generation found off stopped
   * by itself (the guest powered off, QEMU died, the host rebooted): it is reported powered off, as
   * ESXi reports it, and started again only when Skylight asks anew.
   */
  poweredOnGeneration?: number | null;
  /** The live migration this host last sent the VM on, as the status reports it until Skylight settles it. */
  lastMigration?: MigrationOutcome | null;
}

export const emptyRecord = (): MachineRecord => ({
  snapshots: [],
  currentSnapshotId: null,
  lastRequest: null,
  lastError: null,
  startedWith: null,
  bootLogOffset: 0,
  ignoredShutdownGeneration: null,
});

export async function readRecord(paths: MachinePaths): Promise<MachineRecord> {
  try {
    return { ...emptyRecord(), ...(JSON.parse(await readFile(paths.record, "utf8")) as Partial<MachineRecord>) };
  } catch {
    return emptyRecord();
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a record. */
export async function writeRecord(paths: MachinePaths, record: MachineRecord): Promise<void> {
  const partial = `${paths.record}.partial`;
  await writeFile(partial, JSON.stringify(record, null, 2));
  await rename(partial, paths.record);
}
