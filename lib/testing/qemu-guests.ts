// For tests that boot real guests: a scratch directory per test file, and a sweep that kills
// whatever QEMU a failed test left running; and the directories of real agents sharing a datastore.
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { afterAll, beforeAll } from "vitest";
import { checkoutTinyImage, type TinyImage } from "@/lib/hypervisor/tiny-image";
import { importKernelImage } from "@/lib/library/library-store";
import { TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";
import { DatastoreDirs } from "@/lib/spherelet/agent/datastore-dirs";
import { OPERATOR } from "@/lib/testing/engine-harness";

export interface GuestScratch {
  /** A directory for one VM, swept at the end. */
  vmDir(name: string): string;
  sweep(): Promise<void>;
}

export async function guestScratch(): Promise<GuestScratch> {
  const root = await mkdtemp(path.join(tmpdir(), "skylight-qemu-"));
  const dirs: string[] = [];
  return {
    vmDir(name) {
      const dir = path.join(root, name);
      dirs.push(dir);
      return dir;
    },
    async sweep() {
      for (const dir of dirs) {
        const pid = await runningPid(dir);
        if (pid) process.kill(pid, "SIGKILL");
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A fresh datastore directory for the agent's machine driver, holding the checkout's tiny image as `images/tiny`. */
export async function tinyImageDatastore(): Promise<string> {
  const image = await checkoutTinyImage();
  const datastore = await mkdtemp(path.join(tmpdir(), "skylight-datastore-"));
  await mkdir(path.join(datastore, "images", "tiny"), { recursive: true });
  await symlink(image.kernel, path.join(datastore, "images", "tiny", "vmlinuz"));
  await symlink(image.initrd, path.join(datastore, "images", "tiny", "initrd.img"));
  return datastore;
}

/** A test's machine driver on such a datastore (named "local"), with the VM's run directory beside its files: `<datastore>/run/<id>`. */
export const driverPlaces = (datastore: string, id: string) => ({ datastores: new DatastoreDirs(null, { local: datastore }), runDir: path.join(datastore, "run", id) });

/** For a test file that boots tiny guests: the image, and a scratch directory swept after its tests. */
export function tinyGuests(): { readonly image: TinyImage; readonly scratch: GuestScratch } {
  const guests = {} as { image: TinyImage; scratch: GuestScratch };
  beforeAll(async () => {
    guests.image = await checkoutTinyImage();
    guests.scratch = await guestScratch();
  }, 180_000);
  afterAll(() => guests.scratch?.sweep());
  return guests;
}

export interface AgentLab {
  /** The datastore directory the lab's agents share, as they would mount one NFS export. */
  datastoreDir: string;
  /** Each agent's own run directory (QEMU's pid files and sockets) is `<runRoot>/<host>`. */
  runRoot: string;
  /** Skylight's SKYLIGHT_DATA_DIR, set for this process: its content library serves the agents' images. */
  dataDir: string;
  /** Removes the directories; kill the agents and their QEMUs first. */
  remove(): Promise<void>;
}

/**
 * Directories for real agents (`npm run spherelet` processes) and what `npm run images -- build-tiny`
 * leaves behind: skylight-tiny in Skylight's content library, nothing on the hosts yet.
 */
export async function agentLab(pool: pg.Pool): Promise<AgentLab> {
  const datastoreDir = await mkdtemp(path.join(tmpdir(), "skylight-datastore-"));
  const runRoot = await mkdtemp(path.join(tmpdir(), "skylight-run-"));
  const dataDir = await mkdtemp(path.join(tmpdir(), "skylight-data-"));
  process.env.SKYLIGHT_DATA_DIR = dataDir;
  const image = await checkoutTinyImage();
  await importKernelImage({ name: TINY_IMAGE_NAME, os: "tiny", kernel: image.kernel, initrd: image.initrd, replace: true, actor: OPERATOR, pool });
  return {
    datastoreDir,
    runRoot,
    dataDir,
    async remove() {
      for (const dir of [datastoreDir, runRoot, dataDir]) await rm(dir, { recursive: true, force: true });
    },
  };
}
