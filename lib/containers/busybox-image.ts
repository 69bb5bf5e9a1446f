// A small container image made offline from Debian's busybox-static, for the tests and the demo:
// an OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md)
// with one layer (busybox and a symlink per applet, /etc/passwd, /tmp) and `sh` as its command,
// which `skopeo copy oci:DIR:1 docker://HOST/NAMESPACE/busybox:1` pushes to Skylight's registry.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { debianPackage, unpackDebianPackage } from "@/lib/packages/debian-packages";

const run = promisify(execFile);

export const BUSYBOX_IMAGE_TAG = "1";
/** Bumped when what goes into the image changes, so cached builds are made again. */
const RECIPE = "busybox-oci-1";

export interface BusyboxImage {
  /** The OCI layout directory: `oci:<layout>:<tag>` for skopeo. */
  layout: string;
  tag: string;
  /** The manifest's digest, `sha256:…`. */
  digest: string;
  recipe: string;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

async function writeBlob(layout: string, data: Buffer | string): Promise<{ digest: string; size: number }> {
  const hex = sha256(data);
  await writeFile(path.join(layout, "blobs", "sha256", hex), data);
  return { digest: `sha256:${hex}`, size: Buffer.byteLength(data) };
}

async function rootfsLayer(busybox: string, work: string): Promise<{ gzipped: Buffer; diffId: string }> {
  const rootfs = path.join(work, "rootfs");
  for (const dir of ["bin", "etc", "tmp", "proc", "sys", "dev", "root"]) await mkdir(path.join(rootfs, dir), { recursive: true });
  await writeFile(path.join(rootfs, "bin", "busybox"), await readFile(busybox), { mode: 0o755 });
  const { stdout } = await run(busybox, ["--list"]);
  for (const applet of stdout.split("\n").filter((name) => name && name !== "busybox")) await symlink("busybox", path.join(rootfs, "bin", applet));
  await writeFile(path.join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
  await writeFile(path.join(rootfs, "etc", "group"), "root:x:0:\nnobody:x:65534:\n");
  const tarFile = path.join(work, "layer.tar");
  // Fixed owners, times and order: the same packages make the same digest.
  await run("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-C", rootfs, "-cf", tarFile, "."]);
  const tar = await readFile(tarFile);
  await run("gzip", ["-n", "-9", tarFile]);
  return { gzipped: await readFile(`${tarFile}.gz`), diffId: `sha256:${sha256(tar)}` };
}

/** Builds the image into the OCI layout `layout`, fetching busybox-static into `cacheDir`. */
export async function buildBusyboxImage(layout: string, cacheDir: string): Promise<BusyboxImage> {
  const work = await mkdtemp(path.join(tmpdir(), "skylight-busybox-image-"));
  try {
    await unpackDebianPackage(await debianPackage("busybox-static", cacheDir), path.join(work, "package"));
    const layer = await rootfsLayer(path.join(work, "package", "bin", "busybox"), work);
    await rm(layout, { recursive: true, force: true });
    await mkdir(path.join(layout, "blobs", "sha256"), { recursive: true });
    await writeFile(path.join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    const layerBlob = await writeBlob(layout, layer.gzipped);
    const config = {
      architecture: "amd64",
      os: "linux",
      config: { Env: ["PATH=/bin"], Cmd: ["sh"], WorkingDir: "/" },
      rootfs: { type: "layers", diff_ids: [layer.diffId] },
      history: [{ created_by: "Skylight: Debian busybox-static with its applets linked" }],
    };
    const configBlob = await writeBlob(layout, JSON.stringify(config));
    const manifest = {
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...configBlob },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layerBlob }],
    };
    const manifestBlob = await writeBlob(layout, JSON.stringify(manifest));
    const index = {
      schemaVersion: 2,
      manifests: [{ mediaType: manifest.mediaType, ...manifestBlob, annotations: { "org.opencontainers.image.ref.name": BUSYBOX_IMAGE_TAG } }],
    };
    await writeFile(path.join(layout, "index.json"), JSON.stringify(index));
    const image: BusyboxImage = { layout, tag: BUSYBOX_IMAGE_TAG, digest: manifestBlob.digest, recipe: RECIPE };
    await writeFile(path.join(layout, "skylight-image.json"), JSON.stringify(image, null, 2));
    return image;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The image a checkout's tests push and run: built once into the checkout's .cache and reused. */
export async function checkoutBusyboxImage(): Promise<BusyboxImage> {
  const layout = path.resolve(".cache/busybox-oci");
  try {
    const cached = JSON.parse(await readFile(path.join(layout, "skylight-image.json"), "utf8")) as BusyboxImage;
    // The layout's own path, not the one recorded: a copied checkout keeps the build of another.
    if (cached.recipe === RECIPE) return { ...cached, layout };
  } catch {
    // Not built yet.
  }
  return buildBusyboxImage(layout, path.resolve(".cache/debian-packages"));
}
