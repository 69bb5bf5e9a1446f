// Live migration of a running VM between two QEMU processes (vMotion's counterpart): the
// destination QEMU, started with `-incoming defer`, listens on TCP; the source sends its memory
// and device state there while the guest runs, pauses it for the last pages, and the destination
// runs on. Both ends open the same disk on a shared datastore, so only memory moves. The stream is
// TLS with a pre-shared key that only the two ends were given: anything else that listens or
// connects fails the handshake, so only the destination the engine chose can receive the VM.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pollUntil } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";

const TLS_OBJECT = "migration-tls";
/** QEMU's default PSK identity, which both ends use. */
const PSK_USERNAME = "qemu";
/** A migration that has not finished by then (a guest dirtying memory faster than it moves) is cancelled. */
const MIGRATION_TIMEOUT_MS = 180_000;

export interface MigrationFigures {
  totalTimeMs: number;
  /** How long the guest was paused for the switch-over. */
  downtimeMs: number;
  /** Bytes of memory sent. */
  transferredBytes: number;
}

interface QueryMigrate {
  status?: string;
  "error-desc"?: string;
  "total-time"?: number;
  downtime?: number;
  ram?: { total: number; transferred: number; remaining: number };
  "socket-address"?: { host: string; port: string }[];
}

/** Writes the key file QEMU's tls-creds-psk reads (`<dir>/keys.psk`), readable by this host's root only. */
export async function writeMigrationKey(dir: string, key: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error("A migration key must be 64 hexadecimal digits.");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, "keys.psk"), `${PSK_USERNAME}:${key}\n`, { mode: 0o600 });
}

async function applyKey(qmp: QmpClient, keyDir: string, endpoint: "server" | "client") {
  // Each migration brings its own key: an object of an earlier attempt is replaced.
  await qmp.execute("object-del", { id: TLS_OBJECT }).catch(() => undefined);
  // The server finds the key by the identity the client sends; only the client names it.
  await qmp.execute("object-add", { "qom-type": "tls-creds-psk", id: TLS_OBJECT, endpoint, dir: keyDir, ...(endpoint === "client" && { username: PSK_USERNAME }) });
  await qmp.execute("migrate-set-parameters", { "tls-creds": TLS_OBJECT });
}

/** On the destination QEMU (started with `incoming`): listens on `address` at a free port, and answers it. */
export async function listenForMigration(qmp: QmpClient, { address, keyDir }: { address: string; keyDir: string }): Promise<number> {
  await applyKey(qmp, keyDir, "server");
  await qmp.execute("migrate-incoming", { uri: `tcp:${address}:0` });
  const port = await incomingPort(qmp);
  if (port === null) throw new Error("QEMU listens for the migration but does not say on which port.");
  return port;
}

/** The port a destination QEMU listens on for its migration, or null when it does not listen. */
export async function incomingPort(qmp: QmpClient): Promise<number | null> {
  const info = await qmp.execute<QueryMigrate>("query-migrate");
  const port = Number(info["socket-address"]?.[0]?.port);
  return Number.isInteger(port) && port > 0 ? port : null;
}

/**
 * On the source: sends the running VM to the destination and waits for the end. On success the
 * source QEMU is left paused (postmigrate) for the caller to quit; on failure QEMU runs the guest
 * on here, and the error says why.
 */
export async function migrateTo(qmp: QmpClient, { address, port, keyDir, onProgress }: { address: string; port: number; keyDir: string; onProgress?: (percent: number) => void }): Promise<MigrationFigures> {
  await applyKey(qmp, keyDir, "client");
  await qmp.execute("migrate-set-capabilities", { capabilities: [{ capability: "events", state: true }] });
  await qmp.execute("migrate", { uri: `tcp:${address}:${port}` });
  let info: QueryMigrate;
  try {
    info = await pollUntil("the live migration", MIGRATION_TIMEOUT_MS, async () => {
      const current = await qmp.execute<QueryMigrate>("query-migrate");
      if (current.ram && current.ram.total > 0) onProgress?.(Math.min(99, Math.floor((100 * (current.ram.total - current.ram.remaining)) / current.ram.total)));
      return current.status === "completed" || current.status === "failed" || current.status === "cancelled" ? current : undefined;
    });
  } catch (error) {
    await qmp.execute("migrate_cancel").catch(() => undefined);
    throw new Error(`The live migration did not finish within ${MIGRATION_TIMEOUT_MS / 1000} s (the guest may change memory faster than it can be sent) and was cancelled; the VM runs on where it was. ${(error as Error).message}`);
  }
  if (info.status !== "completed") throw new Error(`The live migration ${info.status}: ${info["error-desc"] ?? "QEMU gave no reason"}. The VM runs on where it was.`);
  // QEMU says "completed" a moment before it has worked out the total time and the downtime.
  const final = await pollUntil("the live migration's figures", 5_000, async () => {
    const current = await qmp.execute<QueryMigrate>("query-migrate");
    return (current["total-time"] ?? 0) > 0 ? current : undefined;
  }).catch(() => info);
  onProgress?.(100);
  return { totalTimeMs: final["total-time"] ?? 0, downtimeMs: final.downtime ?? 0, transferredBytes: final.ram?.transferred ?? 0 };
}
