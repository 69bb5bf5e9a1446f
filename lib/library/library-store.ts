// The content library's store: each imported image is a directory `SKYLIGHT_DATA_DIR/library/<name>/`
// holding its files and a manifest.json (lib/library/image-manifest.ts). An import streams the
// file into `library/.incoming/<random>/`, hashing it as it comes and stopping at the upload
// limit; then checks it (a qcow2 must stand alone), converts a raw disk to qcow2, writes the
// manifest and renames the directory into place, so a directory under its name is always a whole
// image; last, the engine writes its VirtualMachineImage. Whatever fails, the partial directory
// goes. Host agents fetch the files from here (lib/spherelet/image-routes.ts).
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { assertCan } from "@/lib/auth/authorize";
import { readConfig } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { getObject } from "@/lib/engine/object-store";
import { importImage } from "@/lib/engine/operations/image-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { InvalidInputError, UserFacingError } from "@/lib/errors";
import { checkQcow2, convertRawToQcow2, detectFormat } from "@/lib/library/disk-formats";
import { hashFile, SizeLimitError, writeHashed } from "@/lib/library/hashed-write";
import { IMAGE_FILES, imageManifestSchema, imageNameSchema, MANIFEST_FILE, type ImageManifest } from "@/lib/library/image-manifest";

const INCOMING = ".incoming";

/** An upload over the library's limit (SKYLIGHT_LIBRARY_MAX_UPLOAD_MIB); nothing of it was kept. */
export class UploadTooLargeError extends UserFacingError {
  override readonly status = 413;
  constructor(limitBytes: number) {
    super(`The file is larger than the content library's upload limit of ${formatLimit(limitBytes)} (SKYLIGHT_LIBRARY_MAX_UPLOAD_MIB).`);
  }
}

const formatLimit = (bytes: number) => (bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : `${+(bytes / 1024 ** 2).toFixed(1)} MiB`);

export const libraryDir = (dataDir = readConfig().dataDir) => path.join(dataDir, "library");

/** The image's directory; throws on a name that is no image name, so no path leaves the library. */
export function storedImageDir(name: string, dataDir?: string): string {
  return path.join(libraryDir(dataDir), parseName(name));
}

function parseName(name: string): string {
  const parsed = imageNameSchema.safeParse(name);
  if (!parsed.success) throw new InvalidInputError("name", `The image's name ${parsed.error.issues[0]!.message}.`);
  return parsed.data;
}

export async function readManifest(name: string, dataDir?: string): Promise<ImageManifest | null> {
  let text: string;
  try {
    text = await readFile(path.join(storedImageDir(name, dataDir), MANIFEST_FILE), "utf8");
  } catch {
    return null;
  }
  return imageManifestSchema.parse(JSON.parse(text));
}

/** A read stream of one of the image's files, or null when the manifest lists no such file. */
export async function openImageFile(name: string, file: string, dataDir?: string) {
  const manifest = await readManifest(name, dataDir);
  const entry = manifest?.files.find((candidate) => candidate.name === file);
  if (!entry) return null;
  return { size: entry.size, stream: createReadStream(path.join(storedImageDir(name, dataDir), entry.name)) };
}

export interface ImportTarget {
  name: string;
  os: string | null;
  actor: OperationActor;
  pool?: pg.Pool;
  dataDir?: string;
}

/** Who may import, checked before a byte is read; then the name, which must be free. */
async function assertCanImport(target: ImportTarget): Promise<string> {
  assertCan(target.actor, "inventory.operate");
  const name = parseName(target.name);
  const taken = existsSync(storedImageDir(name, target.dataDir)) || (await getObject(target.pool ?? getPool(), { kind: "VirtualMachineImage", namespace: "", name }));
  if (taken) throw new InvalidInputError("name", `The content library already has an image named "${name}".`);
  return name;
}

async function stagingDir(dataDir?: string): Promise<string> {
  const dir = path.join(libraryDir(dataDir), INCOMING, randomUUID());
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Moves the staged image into place and writes its VirtualMachineImage. `replace` swaps out an
 * image of the same name (the tiny image's rebuild); otherwise a name taken meanwhile is refused.
 */
async function publish(staging: string, manifest: ImageManifest, target: ImportTarget, replace = false): Promise<ImageManifest> {
  await writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  const dir = storedImageDir(manifest.name, target.dataDir);
  const old = replace && existsSync(dir) ? path.join(libraryDir(target.dataDir), INCOMING, randomUUID()) : null;
  if (old) await rename(dir, old);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (!["ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    throw new InvalidInputError("name", `The content library already has an image named "${manifest.name}".`);
  } finally {
    if (old) await rm(old, { recursive: true, force: true });
  }
  try {
    await importImage(target.actor, manifest, { replace, pool: target.pool });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

export interface UploadRequest extends ImportTarget {
  /** The uploaded file's own name, if known: it tells an ISO without its signature from a raw disk. */
  fileName: string | null;
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream;
  limitBytes: number;
}

/** Imports a qcow2, raw or ISO file as it streams in. */
export async function importUpload(request: UploadRequest): Promise<ImageManifest> {
  const name = await assertCanImport(request);
  const staging = await stagingDir(request.dataDir);
  try {
    const upload = path.join(staging, "upload");
    const received = await writeHashed(request.source, upload, { limitBytes: request.limitBytes }).catch((error: unknown) => {
      throw error instanceof SizeLimitError ? new UploadTooLargeError(request.limitBytes) : error;
    });
    if (received.size === 0) throw new InvalidInputError("file", "The file is empty.");
    const format = await detectFormat(upload, request.fileName);
    let capacityBytes = 0;
    if (format === "qcow2") capacityBytes = await checkQcow2(upload);
    else if (format === "raw") capacityBytes = await convertRawToQcow2(upload, path.join(staging, "disk.qcow2"));
    const kind = format === "iso" ? "iso" : "disk";
    const [stored] = IMAGE_FILES[kind];
    if (format === "raw") await rm(upload);
    else await rename(upload, path.join(staging, stored!));
    const file = format === "raw" ? await hashFile(path.join(staging, stored!)) : received;
    return await publish(
      staging,
      {
        name,
        kind,
        sourceFormat: format,
        os: request.os,
        files: [{ name: stored!, ...file }],
        sha256: received.sha256,
        capacityBytes,
        importedAt: new Date().toISOString(),
        importedBy: request.actor.username,
      },
      request,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Imports a kernel and initramfs (the tiny image); `replace` swaps out an earlier import of the same name. */
export async function importKernelImage(target: ImportTarget & { kernel: string; initrd: string; replace?: boolean }): Promise<ImageManifest> {
  const name = target.replace ? (assertCan(target.actor, "inventory.operate"), parseName(target.name)) : await assertCanImport(target);
  const staging = await stagingDir(target.dataDir);
  try {
    const [kernelName, initrdName] = IMAGE_FILES.kernel;
    const kernel = await writeHashed(createReadStream(target.kernel), path.join(staging, kernelName!));
    const initrd = await writeHashed(createReadStream(target.initrd), path.join(staging, initrdName!));
    const both = createHash("sha256").update(await readFile(target.kernel)).update(await readFile(target.initrd)).digest("hex");
    return await publish(
      staging,
      {
        name,
        kind: "kernel",
        sourceFormat: "kernel",
        os: target.os,
        files: [{ name: kernelName!, ...kernel }, { name: initrdName!, ...initrd }],
        sha256: both,
        capacityBytes: 0,
        importedAt: new Date().toISOString(),
        importedBy: target.actor.username,
      },
      target,
      target.replace,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
