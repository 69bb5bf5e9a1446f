// What a guest booted directly from a kernel is made of, taken offline from Debian's packages: the
// cloud kernel (`apt-get download`, then `dpkg-deb -x`: nothing is installed on the host), the kernel
// modules its /init loads, and busybox-static. The tiny image (tiny-image.ts) and the crx guest
// (lib/spherelet/agent/crx-image.ts) are each built from these parts with an /init of their own.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { CpioEntry } from "@/lib/hypervisor/cpio-newc";
import { debianPackage, unpackDebianPackage } from "@/lib/packages/debian-packages";

const run = promisify(execFile);

export interface GuestModule {
  name: string;
  data: Buffer;
}

export interface GuestParts {
  kernelVersion: string;
  /** The kernel as Debian ships it (`/boot/vmlinuz-<version>`). */
  bzImage: Buffer;
  busybox: Buffer;
  /** The modules asked for that this kernel build has as modules, in the order asked. */
  modules: GuestModule[];
  /** A scratch directory, removed after the build. */
  work: string;
}

/** The versioned cloud kernel package `linux-image-cloud-amd64` currently points at. */
async function cloudKernelPackage(): Promise<string> {
  const { stdout } = await run("apt-cache", ["depends", "linux-image-cloud-amd64"]);
  const name = /Depends: (linux-image-[0-9][^\s]*-cloud-amd64)/.exec(stdout)?.[1];
  if (!name) throw new Error("apt-cache knows no linux-image-cloud-amd64: run apt-get update first");
  return name;
}

/** Unpacks the parts (packages fetched into `cacheDir`), with `modules` given by their path under the kernel's module tree, and builds with them. */
export async function withGuestParts<T>(cacheDir: string, modules: string[], build: (parts: GuestParts) => Promise<T>): Promise<T> {
  await mkdir(cacheDir, { recursive: true });
  const kernelPackage = await cloudKernelPackage();
  const kernelVersion = kernelPackage.replace(/^linux-image-/, "");
  const work = await mkdtemp(path.join(tmpdir(), "skylight-guest-"));
  try {
    await unpackDebianPackage(await debianPackage(kernelPackage, cacheDir), path.join(work, "kernel"));
    await unpackDebianPackage(await debianPackage("busybox-static", cacheDir), path.join(work, "busybox"));
    const moduleRoot = path.join(work, "kernel", "lib", "modules", kernelVersion, "kernel");
    const found: GuestModule[] = [];
    for (const relative of modules) {
      const file = path.join(moduleRoot, relative);
      // Optional pieces differ between kernel builds (some are built in); skip what is not a module.
      if (existsSync(file)) found.push({ name: path.basename(relative), data: await readFile(file) });
    }
    return await build({
      kernelVersion,
      bzImage: await readFile(path.join(work, "kernel", "boot", `vmlinuz-${kernelVersion}`)),
      busybox: await readFile(path.join(work, "busybox", "bin", "busybox")),
      modules: found,
      work,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The initramfs entries of the modules, and `lib/modules/load-order` listing them for /init to insmod in turn. */
export const moduleEntries = (modules: GuestModule[]): CpioEntry[] => [
  ...modules.map((module): CpioEntry => ({ type: "file", path: `lib/modules/${module.name}`, data: module.data })),
  { type: "file", path: "lib/modules/load-order", data: modules.map((module) => module.name).join("\n") + "\n" },
];
