// The guest a `crx` pod's container boots in: Debian's cloud kernel and a busybox initramfs of its
// own, built offline from Debian's packages like the tiny image (lib/hypervisor/tiny-image.ts) and
// cached in the checkout's .cache. Its /init loads the virtio drivers, mounts the container's rootfs
// that the host shares over virtiofs, gives it /proc, /sys and a small /dev, then runs the
// container's process chrooted there with its env and working directory. The process's stdout and
// stderr reach the host as CRI log lines on the virtio-serial port `skylight.log`; its lifecycle
// (started, exited with a code, or failed to start) as lines on the port `skylight.state`. The
// kernel's and init's own messages stay on the serial console. The ACPI power button sends the
// container's process SIGTERM; when the process ends, every process it left is killed and the VM
// powers off.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { cpioArchive, type CpioEntry } from "@/lib/hypervisor/cpio-newc";
import { moduleEntries, withGuestParts, type GuestModule } from "@/lib/hypervisor/guest-parts";

const run = promisify(execFile);

const LZ4_LEGACY_MAGIC = 0x184c2102;

/** The virtio-serial ports' names, as the host's QEMU command line gives them. */
export const CRX_LOG_PORT = "skylight.log";
export const CRX_STATE_PORT = "skylight.state";
/** The virtiofs tag the container's rootfs is shared under. */
export const CRX_ROOTFS_TAG = "rootfs";
/** Where the per-pod part of the initramfs puts the container's spec (a shell fragment, lib/spherelet/agent/crx-spec.ts). */
export const CRX_SPEC_PATH = "crx/spec";

// virtio over MMIO (microvm), its serial ports, virtiofs, and the ACPI power button through evdev.
const MODULES = [
  "drivers/virtio/virtio_ring.ko",
  "drivers/virtio/virtio.ko",
  "drivers/virtio/virtio_mmio.ko",
  "drivers/char/virtio_console.ko",
  "fs/fuse/fuse.ko",
  "fs/fuse/virtiofs.ko",
  "drivers/input/evdev.ko",
  "drivers/acpi/button.ko",
];

// Times are the guest's uptime plus the wall-clock time it booted at, for which the RTC (QEMU's is the
// host's time, to the second) and the moment the host launched QEMU (on the kernel command line) both
// give a lower bound: the later one is the closer. One base for both streams keeps their lines in order.
const INIT = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /run /rootfs
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /lib/modules/load-order); do insmod "/lib/modules/$module" 2>/dev/null; done
port() {
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    for dir in /sys/class/virtio-ports/*; do
      [ "$(cat "$dir/name" 2>/dev/null)" = "$1" ] && [ -e "/dev/\${dir##*/}" ] && echo "/dev/\${dir##*/}" && return
    done
    sleep 0.1
  done
}
state="$(port ${CRX_STATE_PORT})"
log="$(port ${CRX_LOG_PORT})"
[ -n "$state" ] && [ -n "$log" ] || { echo "crx: the host gave no ${CRX_STATE_PORT} or ${CRX_LOG_PORT} port" > /dev/ttyS0; poweroff -f; }
# A virtio port takes one opener at a time: each is opened once here and inherited by its writers.
exec 3> "$log" 4> "$state"
read uptime idle < /proc/uptime
launched="$(sed -n 's/.*skylight.launched=\\([0-9.]*\\).*/\\1/p' /proc/cmdline)"
base="$(awk -v up="$uptime" -v launched="\${launched:-0}" 'BEGIN { base = systime() - up; if (launched > base) base = launched; printf "%.2f", base }')"
now() {
  read uptime idle < /proc/uptime
  awk -v base="$base" -v up="$uptime" 'BEGIN { t = int((base + up) * 100 + 0.5); printf "%s.%02d0000000Z", strftime("%Y-%m-%dT%H:%M:%S", int(t / 100)), t % 100 }'
}
finish() {
  echo "$1" >&4
  sync
  poweroff -f
}
fail() {
  echo "crx: $1" > /dev/ttyS0
  finish "failed $(now) $1"
}
. /${CRX_SPEC_PATH}
ip link set lo up
hostname "$crx_hostname"
mount -t virtiofs ${CRX_ROOTFS_TAG} /rootfs || fail "the container's rootfs could not be mounted"
mkdir -p /rootfs/proc /rootfs/sys /rootfs/dev
mount -t proc proc /rootfs/proc
mount -t sysfs -o ro sysfs /rootfs/sys
mount -t tmpfs -o nosuid,mode=755 dev /rootfs/dev
for node in null:3 zero:5 full:7 random:8 urandom:9; do mknod -m 666 "/rootfs/dev/\${node%%:*}" c 1 "\${node##*:}"; done
mknod -m 666 /rootfs/dev/tty c 5 0
mkdir /rootfs/dev/pts /rootfs/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /rootfs/dev/pts
ln -s pts/ptmx /rootfs/dev/ptmx
mount -t tmpfs -o nosuid,nodev shm /rootfs/dev/shm
ln -s /proc/self/fd /rootfs/dev/fd
for fd in 0:stdin 1:stdout 2:stderr; do ln -s "/proc/self/fd/\${fd%%:*}" "/rootfs/dev/\${fd##*:}"; done
mkfifo /run/stdout /run/stderr
for stream in stdout stderr; do
  awk -v stream="$stream" -v base="$base" '{
    getline uptime < "/proc/uptime"; close("/proc/uptime"); split(uptime, up, " ")
    t = int((base + up[1]) * 100 + 0.5)
    printf "%s.%02d0000000Z %s F %s\\n", strftime("%Y-%m-%dT%H:%M:%S", int(t / 100)), t % 100, stream, $0
    fflush()
  }' < "/run/$stream" >&3 &
done
acpid -c /etc/acpi -l /dev/ttyS0 3>&- 4>&-
echo "started $(now)" >&4
# Its own session, so that whatever the process leaves behind can be killed with it; /crx/exec runs
# inside the chroot through /proc/1/root, the initramfs, so the container needs no shell of its own.
setsid chroot /rootfs /proc/1/root/bin/busybox env -i "$@" < /dev/null > /run/stdout 2> /run/stderr 3>&- 4>&- &
container=$!
echo "$container" > /run/container.pid
wait "$container"
code=$?
kill -KILL -- "-$container" 2>/dev/null
wait
finish "exited $code $(now)"
`;

// Run inside the container's chroot as `sh /proc/1/root/crx/exec <cwd> <command> <args…>`, with the
// container's env: the command is looked up in the container's PATH, as runc does, and never taken
// for one of busybox's own applets.
const EXEC = `cd "$1" 2>/dev/null || { echo "crx: the working directory $1 does not exist in the container" >&2; exit 128; }
shift
command=""
case "$1" in
  */*) command="$1" ;;
  *)
    IFS=:
    for dir in \${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do
      if [ -f "$dir/$1" ] && [ -x "$dir/$1" ]; then command="$dir/$1"; break; fi
    done
    unset IFS
    ;;
esac
[ -n "$command" ] || { echo "crx: $1: executable file not found in \\$PATH" >&2; exit 127; }
shift
exec "$command" "$@"
`;

// busybox acpid runs /etc/acpi/PWRF/00000080 for the power button.
const POWER_BUTTON = `#!/bin/sh
kill -TERM "$(cat /run/container.pid)"
`;

/** What the guest is made of besides the packages: a change to any of it is another image. */
const CRX_IMAGE_RECIPE = createHash("sha256").update(INIT).update(EXEC).update(POWER_BUTTON).update(MODULES.join("\n")).update("vmlinux").digest("hex").slice(0, 16);

export interface CrxImage {
  kernel: string;
  /** The initramfs every crx guest shares; each pod's spec is appended to a copy of it. */
  initrd: string;
  kernelVersion: string;
  recipe: string;
}

/**
 * The kernel's ELF image from its bzImage: microvm boots it without the bzImage's decompressor,
 * in well under half the time (../shared/NOTES.md). The setup header says where the compressed
 * payload lies (Documentation/arch/x86/boot.rst); Debian compresses it with LZ4 (the legacy frame,
 * followed by the image's 4-byte size), which the `lz4` tool decompresses.
 */
export async function extractVmlinux(bzImage: Buffer, into: string, work: string): Promise<void> {
  const setupSectors = bzImage[0x1f1] || 4;
  const payloadStart = (setupSectors + 1) * 512 + bzImage.readUInt32LE(0x248);
  const payload = bzImage.subarray(payloadStart, payloadStart + bzImage.readUInt32LE(0x24c) - 4);
  if (payload.readUInt32LE(0) !== LZ4_LEGACY_MAGIC) throw new Error("the kernel's payload is not LZ4-compressed: boot its bzImage instead");
  const compressed = path.join(work, "vmlinux.lz4");
  await writeFile(compressed, payload);
  await run("lz4", ["-d", "-f", "-q", compressed, into]);
}

function initramfs(busybox: Buffer, modules: GuestModule[]): Buffer {
  const entries: CpioEntry[] = [
    ...["bin", "etc", "etc/acpi", "etc/acpi/PWRF", "lib", "lib/modules", "crx", "proc", "sys", "dev", "run", "rootfs"].map((dir): CpioEntry => ({ type: "directory", path: dir })),
    { type: "file", path: "bin/busybox", data: busybox, mode: 0o755 },
    { type: "symlink", path: "bin/sh", target: "busybox" },
    { type: "file", path: "init", data: INIT, mode: 0o755 },
    { type: "file", path: "crx/exec", data: EXEC, mode: 0o755 },
    { type: "file", path: "etc/acpi/PWRF/00000080", data: POWER_BUTTON, mode: 0o755 },
    ...moduleEntries(modules),
  ];
  return gzipSync(cpioArchive(entries));
}

/** Builds the crx guest into `outDir` (vmlinux, initrd.img, image.json), fetching packages into `cacheDir`. */
export async function buildCrxImage(outDir: string, cacheDir: string): Promise<CrxImage> {
  await mkdir(outDir, { recursive: true });
  return withGuestParts(cacheDir, MODULES, async ({ kernelVersion, bzImage, busybox, modules, work }) => {
    const image: CrxImage = { kernel: path.join(outDir, "vmlinux"), initrd: path.join(outDir, "initrd.img"), kernelVersion, recipe: CRX_IMAGE_RECIPE };
    await extractVmlinux(bzImage, image.kernel, work);
    await writeFile(image.initrd, initramfs(busybox, modules));
    await writeFile(path.join(outDir, "image.json"), JSON.stringify(image, null, 2));
    return image;
  });
}

/** The crx guest of this checkout: built once into its .cache (beside the Debian packages it came from) and reused. */
export async function checkoutCrxImage(): Promise<CrxImage> {
  const dir = path.resolve(".cache/crx-image");
  try {
    const cached = JSON.parse(await readFile(path.join(dir, "image.json"), "utf8")) as CrxImage;
    if (cached.recipe === CRX_IMAGE_RECIPE) return cached;
  } catch {
    // Not built yet.
  }
  return buildCrxImage(dir, path.resolve(".cache/debian-packages"));
}
