// `npm run images -- import FILE --name NAME [--os "…"] [--user NAME]`: imports a qcow2, raw or
// ISO file into the content library (lib/library/library-store.ts), as the console's Import does.
// `npm run images -- build-tiny [--user NAME]`: builds the tiny bootable demo image (a Debian cloud
// kernel and a busybox initramfs, lib/hypervisor/tiny-image.ts) offline from Debian's packages and
// imports it as skylight-tiny, replacing an earlier build. `build-tiny --out DIR` only builds it
// into DIR. `build-busybox [--out DIR]` builds a small busybox container image (an OCI layout,
// lib/containers/busybox-image.ts) offline from Debian's busybox-static, for skopeo to push to
// Skylight's registry. Imports talk to the database directly (DATABASE_URL, or the embedded PostgreSQL of
// SKYLIGHT_DATA_DIR, shared with a running console) and are made in the name of --user (default
// admin), who must be an administrator or operator.
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { actorForUser } from "@/lib/auth/authorize";
import { readConfig } from "@/lib/config";
import { openScriptDatabase } from "@/lib/db/script-database";
import { buildBusyboxImage } from "@/lib/containers/busybox-image";
import { buildTinyImage } from "@/lib/hypervisor/tiny-image";
import { storedBytes, type ImageManifest } from "@/lib/library/image-manifest";
import { importKernelImage, importUpload } from "@/lib/library/library-store";
import { TINY_IMAGE_NAME } from "@/lib/seed/demo-inventory";

const USAGE = `usage: npm run images -- import FILE --name NAME [--os "OS label"] [--user NAME]
       npm run images -- build-tiny [--user NAME]
       npm run images -- build-tiny --out DIR
       npm run images -- build-busybox [--out DIR]`;

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { out: { type: "string" }, name: { type: "string" }, os: { type: "string" }, user: { type: "string" } } });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
const [command, file, ...extra] = positionals;
if (command === "import") {
  if (!file || extra.length) usage("import takes one FILE");
  if (!values.name) usage("import needs --name NAME");
  if (!existsSync(file)) usage(`${file} does not exist`);
} else if (command === "build-tiny" || command === "build-busybox") {
  if (file) usage(`${command} takes no FILE`);
} else {
  usage(command ? `unknown command "${command}"` : "a command is required");
}

const config = readConfig();
const images = path.resolve(config.dataDir, "images");
const packageCache = path.join(images, "debian-packages");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

if (command === "build-tiny" && values.out) {
  const out = path.resolve(values.out);
  try {
    const image = await buildTinyImage(out, packageCache);
    console.log(`Built the tiny image (kernel ${image.kernelVersion}, sha256 ${image.sha256}) into ${out} in ${seconds()}`);
    process.exit(0);
  } catch (error) {
    console.error(`Could not build the tiny image: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (command === "build-busybox") {
  const layout = path.resolve(values.out ?? path.join(images, "busybox-oci"));
  try {
    const image = await buildBusyboxImage(layout, packageCache);
    console.log(`Built the busybox image (${image.digest}) into ${layout} in ${seconds()}. Push it to a namespace's registry with:
  skopeo copy --dest-cert-dir <dir with Skylight's ca.crt> --dest-registry-token <token> oci:${layout}:${image.tag} docker://<Skylight's API host:port>/<namespace>/busybox:${image.tag}`);
    process.exit(0);
  } catch (error) {
    console.error(`Could not build the busybox image: ${(error as Error).message}`);
    process.exit(1);
  }
}

const describe = (manifest: ImageManifest) =>
  `${manifest.kind} image ${manifest.name} (${(storedBytes(manifest) / 1024 ** 2).toFixed(1)} MiB stored, sha256 ${manifest.sha256})`;

const database = await openScriptDatabase(config, 4);
const { pool } = database;
let exitCode = 0;
try {
  const username = values.user ?? "admin";
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username]);
  const actor = rows[0] && (await actorForUser(rows[0].id, pool));
  if (!actor) throw new Error(`There is no enabled user named "${username}" (--user).`);
  if (command === "import") {
    const manifest = await importUpload({ name: values.name!, os: values.os ?? null, fileName: path.basename(file!), source: createReadStream(file!), limitBytes: Number.POSITIVE_INFINITY, actor, pool });
    console.log(`Imported ${describe(manifest)} in ${seconds()}`);
  } else {
    const work = await mkdtemp(path.join(tmpdir(), "skylight-tiny-"));
    try {
      const image = await buildTinyImage(work, packageCache);
      const manifest = await importKernelImage({ name: TINY_IMAGE_NAME, os: `Debian ${image.kernelVersion} kernel with a busybox initramfs`, kernel: image.kernel, initrd: image.initrd, replace: true, actor, pool });
      console.log(`Built and imported ${describe(manifest)} in ${seconds()}`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
} catch (error) {
  const field = (error as { field?: string }).field;
  console.error(`${field ? `${field}: ` : ""}${(error as Error).message}`);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
