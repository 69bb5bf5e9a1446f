// What the tiny image's guest says on its serial console: a ready line per boot (with the address
// DHCP gave it) and a tick every 5 s, read from the VM's serial log.
import { pollUntil, serialLog } from "@/lib/hypervisor/qemu-vm";
import { GUEST_READY_MARKER } from "@/lib/hypervisor/tiny-image";

const serialLines = async (dir: string) => (await serialLog(dir)).split(/\r?\n/);

/** The guest's ready lines so far, one per boot. */
export const readyLines = async (dir: string) => (await serialLines(dir)).filter((line) => line.startsWith(GUEST_READY_MARKER));

/** The highest tick the guest has printed, or 0; a tick may follow the shell's prompt on its line. */
export const lastTick = async (dir: string) => Math.max(0, ...(await serialLines(dir)).map((line) => Number(/skylight-guest tick (\d+)$/.exec(line)?.[1] ?? 0)));

/** Resolves with the ready line of boot number `count` once the guest has printed it. */
export const waitForBoots = (dir: string, count: number, timeoutMs = 60_000): Promise<string> =>
  pollUntil(`boot ${count} of the guest`, timeoutMs, async () => (await readyLines(dir))[count - 1]);
