// An agent brings an image its datastore lacks from Skylight's content library
// (lib/spherelet/image-routes.ts): it reads the manifest, streams each file into a directory of
// its own beside the images (`images/.partial-<name>-<random>/`), checks each file's size and
// sha256 against the manifest, and renames the directory to `images/<name>` in one step. Several
// agents may share the datastore directory: each downloads under its own partial name, and one
// that finds the image already renamed into place by another simply drops its copy.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeHashed } from "@/lib/library/hashed-write";
import { imageManifestSchema, MANIFEST_FILE } from "@/lib/library/image-manifest";
import { imageDir } from "@/lib/spherelet/agent/machine-files";
import { IMAGES_PATH_PREFIX } from "@/lib/spherelet/machine-protocol";
import type { SkylightApi } from "@/lib/spherelet/agent/skylight-api";

export async function fetchImage(api: SkylightApi, datastoreDir: string, name: string, onProgress: (percent: number) => void = () => undefined): Promise<void> {
  const target = imageDir(datastoreDir, name);
  const imagePath = `${IMAGES_PATH_PREFIX}${encodeURIComponent(name)}`;
  const { status, body } = await api.expect<unknown>([200, 404], "GET", imagePath);
  if (status === 404) throw new Error(`The image "${name}" is not in Skylight's content library, so this host cannot fetch it: import it there first (Content Library › Import, or npm run images -- import).`);
  const parsed = imageManifestSchema.safeParse(body);
  if (!parsed.success || parsed.data.name !== name) throw new Error(`Skylight answered no usable manifest for the image "${name}".`);
  const manifest = parsed.data;
  if (existsSync(target)) return;

  const partial = path.join(path.dirname(target), `.partial-${name}-${randomUUID()}`);
  await mkdir(partial, { recursive: true });
  try {
    const total = manifest.files.reduce((sum, file) => sum + file.size, 0) || 1;
    let before = 0;
    for (const file of manifest.files) {
      const response = await api.download(`${imagePath}/${encodeURIComponent(file.name)}`);
      const received = await writeHashed(response, path.join(partial, file.name), {
        limitBytes: file.size,
        onProgress: (bytes) => onProgress(Math.floor(((before + bytes) * 100) / total)),
      });
      if (received.size !== file.size || received.sha256 !== file.sha256) {
        throw new Error(`The file ${file.name} of the image "${name}" arrived damaged: ${received.size} bytes with sha256 ${received.sha256}, where the content library lists ${file.size} bytes with sha256 ${file.sha256}.`);
      }
      before += file.size;
    }
    await writeFile(path.join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    try {
      await rename(partial, target);
    } catch (error) {
      // Another agent on this datastore renamed its whole copy into place first.
      if (!["ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}
