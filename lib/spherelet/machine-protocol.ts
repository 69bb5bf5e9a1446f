// What Skylight and a host's agent (the spherelet) say to each other about the VMs on that host,
// besides the Node and Lease the agent keeps through the Kubernetes API. Skylight's agent provider
// writes each machine's spec (the state the engine wants the VM in); the agent waits for specs to
// change, drives QEMU towards them and reports what it observes as the machine's status.
//
//   GET  /spherelet/v1/hosts/<host>/machines[?after=<version>&waitSeconds=<n>]
//        → { version, datastores, machines: Machine[] }, answered at once when some spec changed
//          after `after`, else when one does or waitSeconds (≤ 30) pass.
//   PUT  /spherelet/v1/hosts/<host>/machines/<id>/status   body: MachineStatus → 204
//   PUT  /spherelet/v1/hosts/<host>/machines/<id>/incoming body: IncomingStatus → 204, from the
//        host a live migration moves the machine to (its migration's `to`), while it receives it
//   PUT  /spherelet/v1/hosts/<host>/datastore              body: DatastoreReport → 204, only
//        for datastores Skylight lists for the host
//
//   GET  /spherelet/v1/images/<name>[/<file>]  the content library's manifest of an image, or one
//        of its files (lib/spherelet/image-routes.ts); any host's token may read any image.
//
// Every request carries the host's bootstrap token (Authorization: Bearer) and is refused unless
// the token was minted for <host>.
import { z } from "zod";
import { MAX_OTHER_DATASTORES } from "@/lib/engine/schemas";

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

/**
 * A live migration the engine asked for: the running VM moves to host `to`. The destination lists
 * the machine too (role "receive"), starts a QEMU that listens and says where (IncomingStatus);
 * the source sends the VM there. `key` is the TLS pre-shared key of the stream, which only the two
 * hosts' agents are given.
 */
export interface MigrationSpec {
  id: string;
  to: string;
  key: string;
}

export interface MachineSpec {
  ownerKey: string;
  /**
   * The datastore the VM's files are to be on (`<its directory>/vms/<id>/`, the agent's --datastore
   * NAME=DIR): when it differs from where they are, the agent moves them there (Storage vMotion).
   */
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
  migration?: MigrationSpec | null;
}

export const incomingStateSchema = z.enum(["listening", "running", "failed"]);

export interface Machine {
  id: string;
  host: string;
  generation: number;
  spec: MachineSpec;
  /** "run": the machine is placed on the listing host; "receive": a live migration moves it there. */
  role: "run" | "receive";
  /** For the source of a live migration: what its destination reported (where it listens), once it did. */
  incoming: IncomingStatus | null;
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

/** How the source's side of a live migration went (the figures QEMU reports). */
export const migrationOutcomeSchema = z.object({
  id: z.string().max(128),
  state: z.enum(["active", "completed", "failed"]),
  progress: z.number().min(0).max(100),
  totalTimeMs: z.number().min(0).nullable(),
  downtimeMs: z.number().min(0).nullable(),
  transferredBytes: z.number().min(0).nullable(),
  error: z.string().max(4096).nullable(),
});
export type MigrationOutcome = z.infer<typeof migrationOutcomeSchema>;

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
  /** The live migration under way or last ended, while the spec still asks for it. */
  migration: migrationOutcomeSchema.nullable().default(null),
  /** The datastore the VM's files are on now (spec.datastore once a move has ended); null before its disk exists. */
  datastore: z.string().max(253).nullable().default(null),
});
export type MachineStatus = z.infer<typeof machineStatusSchema>;

/** The destination's report while it receives a live migration: where it listens, then the VM it runs. */
export const incomingStatusSchema = z.object({
  migrationId: z.string().max(128),
  state: incomingStateSchema,
  /** The address and port its QEMU listens on, while listening. */
  address: z.string().max(64).nullable(),
  port: z.number().int().min(1).max(65535).nullable(),
  error: z.string().max(4096).nullable(),
  /** Once running: the machine's status as this host observes it. */
  status: machineStatusSchema.nullable(),
});
export type IncomingStatus = z.infer<typeof incomingStatusSchema>;

/** Each of the host's datastore directories as the agent measures it (statfs). */
export const datastoreReportSchema = z.object({
  datastores: z
    .array(z.object({ name: z.string().min(1).max(253), capacityGiB: z.number().min(0).max(1e9), usedGiB: z.number().min(0).max(1e9) }))
    .max(1 + MAX_OTHER_DATASTORES),
});
export type DatastoreReport = z.infer<typeof datastoreReportSchema>;

export interface MachineList {
  /** The highest spec version among this host's machines; pass it as `after` to wait for the next change. */
  version: string;
  /** The datastores Skylight has for this host, its default one first (a bare --datastore DIR is the default's directory). */
  datastores: string[];
  machines: Machine[];
}
