// What a host agent reads about a VM without changing it: the end of its serial console, the
// address its guest printed since it last booted, and QEMU's raw counters (process CPU and memory
// from /proc, block I/O from QMP).
import { open, readFile, stat } from "node:fs/promises";
import { vmFiles } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";
import { GUEST_READY_MARKER } from "@/lib/hypervisor/tiny-image";
import { isDiskNode } from "@/lib/hypervisor/vm-runtime";
import { SERIAL_TAIL_BYTES, type MachineStatus } from "@/lib/spherelet/machine-protocol";

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on every Linux architecture we run on). */
const USER_HZ = 100;

export async function serialLogLength(dir: string): Promise<number> {
  return (await stat(vmFiles(dir).serial).catch(() => null))?.size ?? 0;
}

async function readSerialBytes(dir: string, from: number, limit: number): Promise<Buffer> {
  const file = await open(vmFiles(dir).serial, "r").catch(() => null);
  if (!file) return Buffer.alloc(0);
  try {
    const { size } = await file.stat();
    const start = Math.max(from, size - limit);
    if (start >= size) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The last SERIAL_TAIL_BYTES of the guest's serial console. */
export async function serialTail(dir: string): Promise<string> {
  return (await readSerialBytes(dir, 0, SERIAL_TAIL_BYTES)).toString("utf8").slice(-SERIAL_TAIL_BYTES);
}

/** How far the serial log has been read for the guest's address, and the address found so far. */
export interface AddressScan {
  from: number;
  address: string | null;
}

const READY_LINE = new RegExp(`^${GUEST_READY_MARKER} address=([0-9a-fA-F.:]+)\\s*$`, "gm");

/**
 * Reads the serial log's complete lines after `scan.from` for the guest's ready line; the log only
 * grows, so each call reads what was added since the last. Start from the log's length at boot:
 * an address printed before it is stale.
 */
export async function scanGuestAddress(dir: string, scan: AddressScan): Promise<AddressScan> {
  const added = await readSerialBytes(dir, scan.from, Number.MAX_SAFE_INTEGER);
  const complete = added.subarray(0, added.lastIndexOf(0x0a) + 1);
  const found = [...complete.toString("utf8").matchAll(READY_LINE)].at(-1)?.[1];
  return { from: scan.from + complete.length, address: found ?? scan.address };
}

/**
 * QEMU's raw counters. Network bytes are 0: QEMU 7.2's QMP has no counters for a user-mode
 * (slirp) netdev, and reading the guest's own would need an agent in it.
 */
export async function machineCounters(pid: number, qmp: QmpClient | null): Promise<MachineStatus["counters"]> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
    const rssKib = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    const blocks = qmp ? await qmp.execute<{ "node-name"?: string; stats: { rd_bytes: number; wr_bytes: number } }[]>("query-blockstats").catch(() => []) : [];
    // Its node is renamed when its disk moves to another datastore (Storage vMotion); the device's counts run on.
    const disk = blocks.find((block) => block["node-name"] !== undefined && isDiskNode(block["node-name"]))?.stats;
    return {
      sampledAt: new Date().toISOString(),
      // utime and stime: fields 14 and 15 of stat, 11 and 12 after the command name.
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / USER_HZ,
      rssBytes: rssKib * 1024,
      diskReadBytes: disk?.rd_bytes ?? 0,
      diskWriteBytes: disk?.wr_bytes ?? 0,
      netRxBytes: 0,
      netTxBytes: 0,
    };
  } catch {
    // The process exited between finding its pid and reading it.
    return null;
  }
}
