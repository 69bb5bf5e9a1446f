// What Skylight and a host's agent (the spherelet) say to each other about the VMs on that host,
// besides the Node and Lease the agent keeps through the Kubernetes API. Skylight's agent provider
// writes each machine's spec (the state the engine wants the VM in); the agent waits for specs to
// change, drives QEMU towards them and reports what it observes as the machine's status.
//
//   GET  /spherelet/v1/hosts/<host>/machines[?after=<version>&waitSeconds=<n>]
//        → { version, machines: Machine[] }, answered at once when some spec changed after
//          `after`, else when one does or waitSeconds (≤ 30) pass.
//   PUT  /spherelet/v1/hosts/<host>/machines/<id>/status   body: MachineStatus → 204
//   PUT  /spherelet/v1/hosts/<host>/datastore              body: DatastoreReport → 204
//
//   GET  /spherelet/v1/images/<name>[/<file>]  the content library's manifest of an image, or one
//        of its files (lib/spherelet/image-routes.ts); any host's token may read any image.
//
// Every request carries the host's bootstrap token (Authorization: Bearer) and is refused unless
// the token was minted for <host>.
import { z } from "zod";

export const SPHERELET_PATH_PREFIX = "/spherelet/v1/hosts/";
export const IMAGES_PATH_PREFIX = "/spherelet/v1/images/";
export const MAX_WAIT_SECONDS = 30;
/** The end of the guest's serial console log kept in the machine's status for the Monitor tab. */
export const SERIAL_TAIL_BYTES = 16 * 1024;

export const powerStateSchema = z.enum(["PoweredOn", "PoweredOff", "Suspended"]);

/** A one-shot request the agent carries out once; `id` is its idempotency key. */
export const machineRequestSchema = z.discriminatedUnion("action", [
  z.object({ id: z.string(), action: z.literal("takeSnapshot"), snapshotId: z.string(), name: z.string(), description: z.string(), memory: z.boolean() }),
  z.object({ id: z.string(), action: z.literal("revertToSnapshot"), snapshotId: z.string() }),
  /** snapshotId null: every snapshot. */
  z.object({ id: z.string(), action: z.literal("removeSnapshot"), snapshotId: z.string().nullable() }),
]);
export type MachineRequest = z.infer<typeof machineRequestSchema>;

export interface MachineSpec {
  ownerKey: string;
  /** The datastore the VM's files live on; the agent keeps every datastore of its host in its --datastore directory. */
  datastore: string;
  /** The content-library image the VM boots: `<datastore dir>/images/<image>/`, fetched from Skylight when missing. */
  image: string;
  /** Clone to Virtual Machine: the machine whose disk is copied instead of the image's. */
  cloneOf: string | null;
  powerState: z.infer<typeof powerStateSchema>;
  /** How to reach a PoweredOff or Suspended state: Hard (pull the plug), Soft (ACPI, guest decides), TrySoft (ACPI, then hard). */
  powerMode: "Hard" | "Soft" | "TrySoft";
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  networks: string[];
  request: MachineRequest | null;
  /** Delete from Disk: stop the VM and remove its files. */
  deleted: boolean;
}

export interface Machine {
  id: string;
  host: string;
  generation: number;
  spec: MachineSpec;
}

export const machineSnapshotSchema = z.object({
  id: z.string().max(128),
  name: z.string().max(256),
  description: z.string().max(4096),
  createdAt: z.string().max(64),
  includesMemory: z.boolean(),
  parentId: z.string().max(128).nullable(),
  powerState: powerStateSchema,
  hardware: z.object({ cpus: z.number().int().min(0), memoryMiB: z.number().int().min(0), diskGiB: z.number().int().min(0) }),
});

/** Raw counters as read from /proc and QMP; Skylight turns their deltas into rates. */
export const machineCountersSchema = z.object({
  sampledAt: z.string().max(64),
  cpuSeconds: z.number().min(0),
  rssBytes: z.number().min(0),
  diskReadBytes: z.number().min(0),
  diskWriteBytes: z.number().min(0),
  netRxBytes: z.number().min(0),
  netTxBytes: z.number().min(0),
});

export const machineStatusSchema = z.object({
  /** The spec generation this status answers. */
  observedGeneration: z.number().int().min(0),
  /** Its disk exists (created, or cloned). */
  provisioned: z.boolean(),
  /** Its files are gone (after spec.deleted). */
  deleted: z.boolean(),
  powerState: powerStateSchema,
  /** What the agent is doing now, if anything; progress 0–100. */
  operation: z.object({ name: z.string().max(64), progress: z.number().min(0).max(100) }).nullable(),
  cpus: z.number().int().min(0),
  memoryMiB: z.number().int().min(0),
  diskGiB: z.number().int().min(0),
  ipAddress: z.string().max(64).nullable(),
  lastError: z.string().max(4096).nullable(),
  snapshots: z.array(machineSnapshotSchema).max(256),
  currentSnapshotId: z.string().max(128).nullable(),
  /** The id of the last request carried out (or failed: see lastError). */
  lastRequest: z.string().max(128).nullable(),
  /** QEMU's process id while it runs. */
  pid: z.number().int().nullable(),
  serialTail: z.string().max(SERIAL_TAIL_BYTES),
  counters: machineCountersSchema.nullable(),
});
export type MachineStatus = z.infer<typeof machineStatusSchema>;

/** The host's datastore directory as the agent measures it (statfs). */
export const datastoreReportSchema = z.object({ capacityGiB: z.number().min(0).max(1e9), usedGiB: z.number().min(0).max(1e9) });
export type DatastoreReport = z.infer<typeof datastoreReportSchema>;

export interface MachineList {
  /** The highest spec version among this host's machines; pass it as `after` to wait for the next change. */
  version: string;
  machines: Machine[];
}
