// `npm run images -- build-tiny [--out DIR]`: builds the tiny bootable demo image (a Debian cloud
// kernel and a busybox initramfs, lib/hypervisor/tiny-image.ts) offline from Debian's packages,
// into SKYLIGHT_DATA_DIR/images/tiny unless told otherwise. Needs apt-get and dpkg-deb, not root.
import path from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "@/lib/config";
import { buildTinyImage } from "@/lib/hypervisor/tiny-image";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: "string" } } });
if (positionals[0] !== "build-tiny") {
  console.error("usage: npm run images -- build-tiny [--out DIR]");
  process.exit(2);
}

const images = path.resolve(readConfig().dataDir, "images");
const out = path.resolve(values.out ?? path.join(images, "tiny"));
const started = Date.now();
try {
  const image = await buildTinyImage(out, path.join(images, "debian-packages"));
  console.log(`Built the tiny image (kernel ${image.kernelVersion}, sha256 ${image.sha256}) into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`Could not build the tiny image: ${(error as Error).message}`);
  process.exit(1);
}
