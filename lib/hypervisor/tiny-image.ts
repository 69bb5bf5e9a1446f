// The tiny bootable demo image, built offline from Debian's packages: the cloud kernel (nothing is
// installed on the host: `apt-get download`, then `dpkg-deb -x`) and a busybox initramfs whose
// /init loads the virtio drivers, brings up eth0 by DHCP, prints a marker with its address on the
// serial console, answers the ACPI power button, keeps a ticker on the console so a live
// migration can be seen not to stop it, and runs a shell on the console for the web console to
// type into. It boots under TCG in seconds with `-M microvm`.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { cpioArchive, type CpioEntry } from "@/lib/hypervisor/cpio-newc";
import { moduleEntries, withGuestParts, type GuestModule } from "@/lib/hypervisor/guest-parts";

/** What the guest prints once its network is up; the rest of the line is `address=<IPv4>`. */
export const GUEST_READY_MARKER = "SKYLIGHT-GUEST-READY";

export interface TinyImage {
  kernel: string;
  initrd: string;
  /** The recipe it was built from (TINY_IMAGE_RECIPE): a checkout's cached image is rebuilt when the recipe changes. */
  recipe?: string;
  kernelVersion: string;
  /** sha256 of the kernel and the initramfs together, recorded as the image's checksum. */
  sha256: string;
}

// virtio over MMIO (microvm) and PCI (pc/q35), its network, block and balloon devices, and the
// ACPI power button through evdev, in dependency order.
const MODULES = [
  "drivers/virtio/virtio_ring.ko",
  "drivers/virtio/virtio.ko",
  "drivers/virtio/virtio_mmio.ko",
  "drivers/virtio/virtio_pci_modern_dev.ko",
  "drivers/virtio/virtio_pci_legacy_dev.ko",
  "drivers/virtio/virtio_pci.ko",
  "net/core/failover.ko",
  "drivers/net/net_failover.ko",
  "drivers/net/virtio_net.ko",
  "drivers/block/virtio_blk.ko",
  "drivers/virtio/virtio_balloon.ko",
  "drivers/input/evdev.ko",
  "drivers/acpi/button.ko",
];

const INIT = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(cat /lib/modules/load-order); do insmod "/lib/modules/$module" 2>/dev/null; done
hostname "$(sed -n 's/.*skylight.hostname=\\([^ ]*\\).*/\\1/p' /proc/cmdline)"
acpid -c /etc/acpi -l /dev/ttyS0
ip link set lo up
# Every NIC asks DHCP (user-mode networking answers at once); one on a bridge with no DHCP server
# takes a link-local address made from its MAC, so guests on one bridge still reach each other.
address=""
for path in /sys/class/net/eth*; do
  [ -e "$path" ] || continue
  nic="\${path##*/}"
  ip link set "$nic" up
  udhcpc -i "$nic" -s /etc/udhcpc.script -q -n -t 4 -T 1 >/dev/null 2>&1
  nic_address="$(ip -4 -o addr show dev "$nic" | sed -n 's/.* inet \\([0-9.]*\\).*/\\1/p')"
  if [ -z "$nic_address" ]; then
    mac="$(cat "$path/address")"
    nic_address="169.254.$(( 0x$(echo "$mac" | cut -d: -f5) % 254 + 1 )).$(( 0x$(echo "$mac" | cut -d: -f6) % 254 + 1 ))"
    ip addr add "$nic_address/16" dev "$nic"
  fi
  echo "skylight-guest $nic address=$nic_address" > /dev/ttyS0
  [ -n "$address" ] || address="$nic_address"
done
echo "${GUEST_READY_MARKER} address=\${address:-none}" > /dev/ttyS0
(
  tick=0
  while true; do
    sleep 5
    tick=$((tick + 1))
    echo "skylight-guest tick \${tick}" > /dev/ttyS0
  done
) &
# An interactive shell on the serial console (the web console types into it), started again when it
# exits. It is handed the lines the terminal's own line discipline echoed and edited: reading the
# terminal itself, its line editor would ask where the cursor is after every prompt, and QEMU 7.2's
# text console prints that answer on the screen instead of sending it back.
# QEMU's text console sends Backspace as ^H.
stty -F /dev/ttyS0 erase '^H'
export HOME=/ PS1='\\h:\\w\\$ '
while true; do
  setsid -c sh -c 'while IFS= read -r line; do printf "%s\\n" "$line"; done | sh +m -i' < /dev/ttyS0 > /dev/ttyS0 2>&1
done
`;

const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via "\${router%% *}" dev "$interface"
    ;;
esac
`;

/** What the image is made of besides the packages: a change to any of it is another image. */
const TINY_IMAGE_RECIPE = createHash("sha256").update(INIT).update(UDHCPC_SCRIPT).update(MODULES.join("\n")).digest("hex").slice(0, 16);

function initramfs(busybox: Buffer, modules: GuestModule[]): Buffer {
  const entries: CpioEntry[] = [
    ...["bin", "etc", "etc/acpi", "etc/acpi/PWRF", "lib", "lib/modules", "proc", "sys", "dev", "tmp"].map((dir): CpioEntry => ({ type: "directory", path: dir })),
    { type: "file", path: "bin/busybox", data: busybox, mode: 0o755 },
    { type: "symlink", path: "bin/sh", target: "busybox" },
    { type: "file", path: "init", data: INIT, mode: 0o755 },
    { type: "file", path: "etc/udhcpc.script", data: UDHCPC_SCRIPT, mode: 0o755 },
    // busybox acpid runs /etc/acpi/PWRF/00000080 for the power button. /init is no init daemon
    // to signal, so the handler powers off directly (ACPI S5, which QEMU reports as SHUTDOWN).
    { type: "file", path: "etc/acpi/PWRF/00000080", data: "#!/bin/sh\nsync\npoweroff -f\n", mode: 0o755 },
    ...moduleEntries(modules),
  ];
  return gzipSync(cpioArchive(entries));
}

/** Builds the image into `outDir` (vmlinuz, initrd.img, image.json), fetching packages into `cacheDir`. */
export async function buildTinyImage(outDir: string, cacheDir: string): Promise<TinyImage> {
  await mkdir(outDir, { recursive: true });
  return withGuestParts(cacheDir, MODULES, async ({ kernelVersion, bzImage, busybox, modules }) => {
    const initrd = initramfs(busybox, modules);
    const image: TinyImage = {
      kernel: path.join(outDir, "vmlinuz"),
      initrd: path.join(outDir, "initrd.img"),
      recipe: TINY_IMAGE_RECIPE,
      kernelVersion,
      sha256: createHash("sha256").update(bzImage).update(initrd).digest("hex"),
    };
    await writeFile(image.kernel, bzImage);
    await writeFile(image.initrd, initrd);
    await writeFile(path.join(outDir, "image.json"), JSON.stringify(image, null, 2));
    return image;
  });
}

/**
 * The image a checkout's tests and benchmarks boot: built once into the checkout's .cache (with
 * the Debian packages it came from) and reused, since fetching and unpacking them takes a while.
 */
export async function checkoutTinyImage(): Promise<TinyImage> {
  const dir = path.resolve(".cache/tiny-image");
  const cached = await readTinyImage(dir);
  return cached?.recipe === TINY_IMAGE_RECIPE ? cached : buildTinyImage(dir, path.resolve(".cache/debian-packages"));
}

/** The image built earlier into `outDir`, or null. */
export async function readTinyImage(outDir: string): Promise<TinyImage | null> {
  try {
    return JSON.parse(await readFile(path.join(outDir, "image.json"), "utf8")) as TinyImage;
  } catch {
    return null;
  }
}
