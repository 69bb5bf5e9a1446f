// The simulator's arithmetic: how long operations take, and the seeded pseudo-randomness behind
// failure injection, IP addresses and guest load. Pure functions, identical in every process.
import type { ProviderOperation } from "@/lib/provider/provider";

export type OperationName = ProviderOperation["name"];

const HOST_CORE_MHZ = 2600;
const LOAD_BUCKET_MS = 20_000;
const LOAD_WALK_STEPS = 32;

/** Seconds copying a disk into the content library takes, as a clone does. */
export function publishSeconds(diskGiB: number, speed: number): number {
  return speed <= 0 ? 0 : Math.max(1, 0.1 * diskGiB) / speed;
}

/** Seconds the operation takes on this VM; at speed 0 (or below) everything is instant. */
export function operationSeconds(name: OperationName, vm: { diskGiB: number; memoryMiB: number }, speed: number): number {
  if (speed <= 0) return 0;
  const seconds: Record<OperationName, number> = {
    create: Math.max(1, 0.1 * vm.diskGiB),
    powerOn: 2,
    powerOff: 1,
    shutdownGuest: 5,
    suspend: 2,
    reconfigure: 1,
    migrate: 1 + (0.25 * vm.memoryMiB) / 1024,
    relocate: Math.max(1, 0.1 * vm.diskGiB),
    delete: 1,
    createSnapshot: 1,
    revertToSnapshot: 2,
    removeSnapshot: 1,
  };
  return seconds[name] / speed;
}

const FNV_OFFSET = 0x811c9dc5;

/** Continues an FNV-1a hash over more text, so a shared prefix is hashed once. */
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** FNV-1a over the parts, joined. */
export function hash(...parts: (string | number)[]): number {
  return fnv(FNV_OFFSET, parts.join("|")) >>> 0;
}

function mulberry(h: number): number {
  let t = ((h >>> 0) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** One mulberry32 draw in [0, 1) seeded by the hash of the parts. */
export function random(...parts: (string | number)[]): number {
  return mulberry(hash(...parts));
}

export function operationFails(seed: number, vmId: string, name: OperationName, startedAt: Date, failureRate: number): boolean {
  return failureRate > 0 && random(seed, vmId, name, startedAt.getTime()) < failureRate;
}

/** A stable address in 10.64.0.0/10, so a VM keeps the same one in every process and across restarts. */
export function ipAddressFor(vmId: string): string {
  const h = hash("ip", vmId);
  return `10.${64 + (h >>> 26)}.${(h >>> 16) & 255}.${1 + ((h & 0xffff) % 254)}`;
}

/**
 * A random walk sampled every 20 s: the base plus the last 32 steps. Each step depends only on its
 * bucket number, so any process can compute any instant without remembering earlier ones.
 */
function walk(seed: number, vmId: string, metric: string, at: Date, base: number, step: number, min: number, max: number) {
  const bucket = Math.floor(at.getTime() / LOAD_BUCKET_MS);
  // random(seed, vmId, metric, k) with the prefix hashed once: metrics sample every VM every 20 s.
  const prefix = fnv(FNV_OFFSET, `${seed}|${vmId}|${metric}|`);
  let value = base;
  for (let k = bucket - LOAD_WALK_STEPS + 1; k <= bucket; k++) value += (mulberry(fnv(prefix, String(k))) * 2 - 1) * step;
  return Math.min(max, Math.max(min, value));
}

export function guestLoadAt(seed: number, vm: { id: string; cpus: number; memoryMiB: number }, at: Date) {
  const cpu = walk(seed, vm.id, "cpu", at, 0.15 + 0.35 * random(seed, vm.id, "cpu"), 0.04, 0.05, 0.95);
  const memory = walk(seed, vm.id, "memory", at, 0.3 + 0.3 * random(seed, vm.id, "memory"), 0.02, 0.2, 0.8);
  return { cpuMhz: Math.round(cpu * vm.cpus * HOST_CORE_MHZ), memoryActiveMiB: Math.round(memory * vm.memoryMiB) };
}
