// Debian packages fetched without installing them (`apt-get download`, kept in a cache directory)
// and unpacked where a build needs their files: the tiny guest image and the busybox container
// image are made this way, offline from Debian's archive.
import { execFile } from "node:child_process";
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The .deb of package `name` in `cacheDir`, downloaded there first when missing. */
export async function debianPackage(name: string, cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const cached = (await readdir(cacheDir)).find((file) => file.startsWith(`${name}_`) && file.endsWith(".deb"));
  if (cached) return path.join(cacheDir, cached);
  await run("apt-get", ["download", name], { cwd: cacheDir });
  const downloaded = (await readdir(cacheDir)).find((file) => file.startsWith(`${name}_`) && file.endsWith(".deb"));
  if (!downloaded) throw new Error(`apt-get download ${name} left no package in ${cacheDir}`);
  return path.join(cacheDir, downloaded);
}

export async function unpackDebianPackage(deb: string, into: string): Promise<void> {
  await mkdir(into, { recursive: true });
  await run("dpkg-deb", ["-x", deb, into]);
}
