// For tests that boot real guests: a scratch directory per test file, and a sweep that kills
// whatever QEMU a failed test left running.
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { afterAll, beforeAll } from "vitest";
import { checkoutTinyImage, type TinyImage } from "@/lib/hypervisor/tiny-image";
import { DatastoreDirs } from "@/lib/spherelet/agent/datastore-dirs";

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
