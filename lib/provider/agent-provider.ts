// The provider of real hosts: each runs the Skylight agent (spherelet), which registers a Node,
// heartbeats with a Lease and drives QEMU. Asking for anything of a VM writes the machine's spec
// in agent_machines with a new generation (each call is one attempt: asking again retries a failed
// one); the agent carries it out and reports the machine's status, which is what findVm observes.
// An operation is in flight while the agent has not yet answered the latest generation. A host
// mounts one datastore or several (spherelet_host_datastores); a VM's files are on one of them,
// and Storage vMotion moves them to another of its host's.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { NodeStatus } from "@/lib/engine/operations/node-operations";
import {
  ProviderError,
  type CreateVmRequest,
  type GuestLoad,
  type PerformanceReport,
  type PowerOpMode,
  type PowerState,
  type DatastoreFolder,
  type ProviderDatastore,
  type ProviderHost,
  type ProviderOperation,
  type ProviderVm,
  type TakeSnapshotRequest,
  type VmHardware,
} from "@/lib/provider/provider";
import type { MachineRequest, MachineSpec, MachineStatus } from "@/lib/spherelet/machine-protocol";
import { machinePerformance } from "@/lib/provider/agent-performance";
import { snapshotsRefusal } from "@/lib/hypervisor/disk-relocation";
import { abandonMigration, type MigrationResult } from "@/lib/spherelet/machine-migrations";

export const AGENT_VM_ID_PREFIX = "qm-";
/** The agent reports no clock speed; placement and DRS count real hosts' cores at this rate. */
const NOMINAL_CPU_MHZ = 2000;
/** How soon the engine looks again at an operation the agent is carrying out. */
const OPERATION_POLL_MS = 1_000;

interface MachineRow {
  id: string;
  owner_key: string;
  host: string;
  generation: number;
  spec: MachineSpec;
  status: Partial<MachineStatus>;
  last_migration: MigrationResult | null;
}

interface Db {
  query: pg.Pool["query"];
}

const isAgentVm = (id: string) => id.startsWith(AGENT_VM_ID_PREFIX);

/** The datastore the VM's files are on now: the spec's until the agent says otherwise. */
const location = (row: MachineRow) => row.status.datastore ?? row.spec.datastore;

function pendingOperation(row: MachineRow, now: Date): ProviderOperation | null {
  const status = row.status;
  const spec = row.spec;
  // Under way until Skylight settles it, whatever either end has reported so far.
  if (spec.migration) return { name: "migrate", progress: status.operation?.progress ?? 0, completesAt: new Date(now.getTime() + OPERATION_POLL_MS) };
  const caughtUp = (status.observedGeneration ?? 0) >= row.generation;
  // Its files are moving until the agent reports them where the spec says, or reports why not.
  const relocating = spec.datastore !== location(row) && !(caughtUp && status.lastError);
  if (caughtUp && !status.operation && !relocating) return null;
  const name: ProviderOperation["name"] = spec.deleted
    ? "delete"
    : !status.provisioned
      ? "create"
      : spec.request && spec.request.id !== status.lastRequest
        ? ({ takeSnapshot: "createSnapshot", revertToSnapshot: "revertToSnapshot", removeSnapshot: "removeSnapshot" } as const)[spec.request.action]
        : relocating
          ? "relocate"
          : spec.powerState !== status.powerState
          ? spec.powerState === "PoweredOn"
            ? "powerOn"
            : spec.powerState === "Suspended"
              ? "suspend"
              : spec.powerMode === "Hard"
                ? "powerOff"
                : "shutdownGuest"
          : "reconfigure";
  return { name, progress: status.operation?.progress ?? 0, completesAt: new Date(now.getTime() + OPERATION_POLL_MS) };
}

function toProviderVm(row: MachineRow, now: Date): ProviderVm {
  const { spec, status } = row;
  const caughtUp = (status.observedGeneration ?? 0) >= row.generation;
  return {
    id: row.id,
    ownerKey: row.owner_key,
    host: row.host,
    datastore: location(row),
    // Mid-migration the source may have stopped before the destination reports: the VM runs on one of them.
    powerState: spec.migration ? "PoweredOn" : (status.powerState ?? "PoweredOff"),
    cpus: status.cpus || spec.cpus,
    memoryMiB: status.memoryMiB || spec.memoryMiB,
    diskGiB: status.diskGiB || spec.diskGiB,
    networks: spec.networks,
    // The agent's machines have one disk and boot from at most their image's ISO: added devices are not attached.
    devices: null,
    ipAddress: status.ipAddress ?? null,
    operation: pendingOperation(row, now),
    // An attempt the agent answered with an error leaves the VM unprovisioned: the next createVm asks again.
    provisioned: status.provisioned ?? false,
    // QEMU's microvm has no CPU or memory hotplug: both change at the next power-on.
    cpuMemoryHotAdd: false,
    lastError: caughtUp ? (status.lastError ?? null) : null,
    snapshots: status.snapshots ?? [],
    currentSnapshotId: status.currentSnapshotId ?? null,
    lastSnapshotRequest: status.lastRequest ?? null,
    lastMigration: row.last_migration && { to: row.last_migration.to, error: row.last_migration.error, totalTimeMs: row.last_migration.totalTimeMs, downtimeMs: row.last_migration.downtimeMs, transferredBytes: row.last_migration.transferredBytes },
  };
}

const LEASE_EXPIRY = `COALESCE((l.spec->>'renewTime')::timestamptz + make_interval(secs => (l.spec->>'leaseDurationSeconds')::float8), 'epoch')`;

const MACHINE_COLUMNS = `id, owner_key, host, generation, spec, status, last_migration`;

export interface AgentProviderOptions {
  db: Db;
  now?: () => Date;
}

export function createAgentProvider({ db, now = () => new Date() }: AgentProviderOptions) {
  async function machine(id: string): Promise<MachineRow> {
    const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE id = $1`, [id]);
    if (!rows[0]) throw new ProviderError(`No VM ${id} on any real host`, false);
    return rows[0];
  }

  /** Writes a new attempt: the spec as `change` makes it, with the next generation. */
  async function ask(id: string, change: (spec: MachineSpec, row: MachineRow) => MachineSpec): Promise<void> {
    const row = await machine(id);
    if (row.spec.deleted) throw new ProviderError(`VM ${id} is being deleted`, false);
    await db.query(`UPDATE agent_machines SET spec = $2, generation = generation + 1, version = nextval('agent_machine_version_seq') WHERE id = $1`, [id, change(row.spec, row)]);
  }

  /**
   * A migration one of whose hosts stopped heartbeating is over: its agent cannot finish it. The
   * VM stays with its source, where HA restarts it if that is the host that failed. True when ended.
   */
  async function abandonedBy(row: MachineRow): Promise<boolean> {
    const migration = row.spec.migration!;
    const { rows } = await db.query<{ name: string }>(
      `SELECT h.name FROM spherelet_hosts h LEFT JOIN resources l ON l.kind = 'Lease' AND l.namespace = 'kube-node-lease' AND l.name = h.name
        WHERE h.name = ANY($1) AND ${LEASE_EXPIRY} < $2`,
      [[row.host, migration.to], now()],
    );
    if (!rows[0]) return false;
    const error = `host ${rows[0].name} stopped responding during the live migration`;
    await abandonMigration(db, row.id, { id: migration.id, from: row.host, to: migration.to, error, totalTimeMs: null, downtimeMs: null, transferredBytes: null });
    return true;
  }

  /** The datastores the host mounts, its default one first; none for a host that does not run the agent. */
  async function hostDatastores(host: string): Promise<string[]> {
    const { rows } = await db.query<{ datastore: string }>(`SELECT datastore FROM spherelet_host_datastores WHERE host = $1 ORDER BY position`, [host]);
    return rows.map((row) => row.datastore);
  }

  /** The destination must mount the VM's datastore: the VM's files stay where they are. */
  async function requireSharedDatastore(row: MachineRow, targetHost: string, what: string): Promise<void> {
    const mounted = await hostDatastores(targetHost);
    if (mounted.length === 0) throw new ProviderError(`Host ${targetHost} does not run the Skylight agent: a VM of a real host can be ${what} only to another real host`, false);
    if (!mounted.includes(location(row))) throw new ProviderError(`Host ${targetHost} does not mount datastore ${location(row)}, where the VM's files are`, false);
  }

  /** Each datastore of real hosts (or those `where` picks): its hosts, and the space its agents last reported. */
  async function datastoreRows(where: string, values: unknown[]): Promise<ProviderDatastore[]> {
    const { rows } = await db.query<{ name: string; hosts: string[]; capacity: number | null; used: number | null }>(
      `SELECT datastore AS name, array_agg(host ORDER BY host) AS hosts, max(capacity_gib) AS capacity, max(used_gib) AS used
         FROM spherelet_host_datastores WHERE ${where} GROUP BY datastore ORDER BY datastore`,
      values,
    );
    return rows.map((row) => ({ name: row.name, capacityGiB: row.capacity ?? 0, usedGiB: row.used ?? 0, hosts: row.hosts }));
  }

  async function hostRows(where: string, values: unknown[]) {
    const { rows } = await db.query<{ name: string; cluster: string; datastores: string[] | null; node: NodeStatus | null; renew: string | null; expires: Date | null }>(
      `SELECT h.name, h.cluster, (SELECT array_agg(d.datastore ORDER BY d.position) FROM spherelet_host_datastores d WHERE d.host = h.name) AS datastores,
              n.status AS node, l.spec->>'renewTime' AS renew, ${LEASE_EXPIRY} AS expires
         FROM spherelet_hosts h
         JOIN resources n ON n.kind = 'Node' AND n.namespace = '' AND n.name = h.name
         LEFT JOIN resources l ON l.kind = 'Lease' AND l.namespace = 'kube-node-lease' AND l.name = h.name
        WHERE ${where}
        ORDER BY h.name`,
      values,
    );
    return rows.map((row): ProviderHost => ({
      name: row.name,
      cluster: row.cluster,
      connectionState: "connected",
      lastHeartbeat: new Date(row.renew ?? 0),
      heartbeatExpiresAt: row.expires ?? new Date(0),
      cpuCores: Number(row.node?.capacity?.cpu ?? 0),
      cpuMhz: NOMINAL_CPU_MHZ,
      memoryMiB: Math.floor(parseKibibytes(row.node?.capacity?.memory) / 1024),
      datastores: row.datastores ?? [],
      version: row.node?.nodeInfo?.kubeletVersion ?? "",
      reportsOwnNode: true,
      // Between hosts that mount the VM's datastore: only memory moves (migrateVm refuses any other pair).
      liveMigration: true,
      managementIP: row.node?.addresses?.find((address) => address.type === "InternalIP")?.address,
    }));
  }

  return {
    isAgentVm,

    /** Whether the host was added as one running the agent. */
    async hasHost(name: string): Promise<boolean> {
      const { rows } = await db.query(`SELECT 1 FROM spherelet_hosts WHERE name = $1`, [name]);
      return rows.length > 0;
    },

    /** Which of these hosts were added as running the agent. */
    async agentHostsAmong(names: string[]): Promise<Set<string>> {
      const { rows } = await db.query<{ name: string }>(`SELECT name FROM spherelet_hosts WHERE name = ANY($1::text[])`, [names]);
      return new Set(rows.map((row) => row.name));
    },

    async hasDatastore(name: string): Promise<boolean> {
      const { rows } = await db.query(`SELECT 1 FROM spherelet_host_datastores WHERE datastore = $1 LIMIT 1`, [name]);
      return rows.length > 0;
    },

    async findVm(ownerKey: string): Promise<ProviderVm | null> {
      const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE owner_key = $1`, [ownerKey]);
      const row = rows[0];
      if (!row) return null;
      if (row.spec.migration && (await abandonedBy(row))) return this.findVm(ownerKey);
      if (row.spec.deleted && row.status.deleted) {
        // The agent removed its files: the delete is verified, and the machine goes.
        await db.query(`DELETE FROM agent_machines WHERE id = $1 AND generation = $2`, [row.id, row.generation]);
        return null;
      }
      return toProviderVm(row, now());
    },

    async findVms(ownerKeys: string[]): Promise<Map<string, ProviderVm>> {
      const found = new Map<string, ProviderVm>();
      if (ownerKeys.length === 0) return found;
      const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE owner_key = ANY($1::text[])`, [ownerKeys]);
      for (const row of rows) {
        // A move or a delete in flight has its own bookkeeping: findVm does it.
        const vm = row.spec.migration || row.spec.deleted ? await this.findVm(row.owner_key) : toProviderVm(row, now());
        if (vm) found.set(vm.ownerKey, vm);
      }
      return found;
    },

    async listVms(): Promise<ProviderVm[]> {
      const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE NOT (spec->>'deleted')::boolean ORDER BY id`);
      return rows.map((row) => toProviderVm(row, now()));
    },

    async createVm(request: CreateVmRequest): Promise<ProviderVm> {
      const mounted = await hostDatastores(request.host);
      if (mounted.length === 0) throw new ProviderError(`Host ${request.host} is not a host running the Skylight agent`, false);
      if (!mounted.includes(request.datastore)) {
        throw new ProviderError(`Host ${request.host} keeps its VMs on datastore${mounted.length > 1 ? "s" : ""} ${mounted.join(", ")}, not ${request.datastore}`, false);
      }
      const existing = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE owner_key = $1`, [request.ownerKey]);
      if (existing.rows[0]) {
        const row = existing.rows[0];
        // A create the agent failed (or never got to) is asked again; a provisioned VM is returned as it is.
        if (!row.status.provisioned && row.status.lastError) await ask(row.id, (spec) => spec);
        return toProviderVm(row, now());
      }
      const spec: MachineSpec = {
        ownerKey: request.ownerKey,
        datastore: request.datastore,
        image: request.imageName,
        cloneOf: request.cloneOf ?? null,
        powerState: "PoweredOff",
        powerMode: "Hard",
        cpus: request.cpus,
        memoryMiB: request.memoryMiB,
        diskGiB: request.diskGiB,
        networks: request.networks ?? ["VM Network"],
        request: null,
        deleted: false,
      };
      const id = `${AGENT_VM_ID_PREFIX}${randomBytes(5).toString("hex")}`;
      const { rows } = await db.query<MachineRow>(
        `INSERT INTO agent_machines (id, owner_key, host, spec) VALUES ($1, $2, $3, $4)
         ON CONFLICT (owner_key) DO UPDATE SET owner_key = EXCLUDED.owner_key
         RETURNING ${MACHINE_COLUMNS}`,
        [id, request.ownerKey, request.host, spec],
      );
      return toProviderVm(rows[0]!, now());
    },

    async setPowerState(vmId: string, state: PowerState, mode: PowerOpMode): Promise<void> {
      await ask(vmId, (spec) => ({ ...spec, powerState: state, powerMode: mode }));
    },

    async reconfigureVm(vmId: string, hardware: VmHardware): Promise<void> {
      await ask(vmId, (spec) => ({
        ...spec,
        cpus: hardware.cpus,
        memoryMiB: hardware.memoryMiB,
        diskGiB: Math.max(spec.diskGiB, hardware.diskGiB),
        networks: hardware.networks ?? spec.networks,
      }));
    },

    /**
     * Moves the VM to another host of its datastore. Powered off or suspended, the machine is only
     * placed there (its files are on the shared datastore). Running, it migrates live: the spec
     * names the destination and a fresh pre-shared key, and the two agents carry it out. A failed
     * attempt is reported once, by the next call, which throws it; the call after starts anew.
     */
    async migrateVm(vmId: string, targetHost: string): Promise<void> {
      const row = await machine(vmId);
      if (row.host === targetHost || row.spec.migration?.to === targetHost) return;
      if (row.spec.migration) throw new ProviderError(`VM ${vmId} is already moving to ${row.spec.migration.to}`, false);
      const failed = row.last_migration;
      if (failed?.error && failed.to === targetHost) {
        await db.query(`UPDATE agent_machines SET last_migration = NULL WHERE id = $1`, [vmId]);
        throw new ProviderError(failed.error, false);
      }
      await requireSharedDatastore(row, targetHost, "migrated");
      if (row.status.powerState !== "PoweredOn") {
        await db.query(`UPDATE agent_machines SET host = $2, generation = generation + 1, version = nextval('agent_machine_version_seq'), last_migration = NULL WHERE id = $1`, [vmId, targetHost]);
        return;
      }
      const migration = { id: randomBytes(8).toString("hex"), to: targetHost, key: randomBytes(32).toString("hex") };
      await db.query(
        `UPDATE agent_machines SET spec = jsonb_set(spec, '{migration}', $2::jsonb), migration_target = $3, incoming = NULL, last_migration = NULL,
                generation = generation + 1, version = nextval('agent_machine_version_seq')
          WHERE id = $1 AND jsonb_typeof(spec->'migration') IS DISTINCT FROM 'object'`,
        [vmId, JSON.stringify(migration), targetHost],
      );
    },

    /**
     * Storage vMotion: the VM's files move to another datastore of its host (a running VM's disk is
     * mirrored while its guest runs on). Refused before anything is asked when the host does not
     * mount the datastore, or when the disk holds snapshots, which live inside it and would be lost.
     * A failed attempt leaves the files where they were and is reported once, by the next call,
     * which throws it and points the spec back at where the files are; the call after starts anew.
     */
    async relocateVmStorage(vmId: string, datastore: string): Promise<void> {
      const row = await machine(vmId);
      const current = location(row);
      if (row.spec.datastore === datastore) {
        const caughtUp = (row.status.observedGeneration ?? 0) >= row.generation;
        if (current === datastore || !caughtUp || !row.status.lastError) return;
        // The agent answered this attempt with why the files stayed where they were.
        await ask(vmId, (spec) => ({ ...spec, datastore: current }));
        throw new ProviderError(row.status.lastError, false);
      }
      if (current !== datastore) {
        if (row.spec.migration) throw new ProviderError(`VM ${vmId} is moving to host ${row.spec.migration.to}; its storage can move once it has arrived`, true);
        const mounted = await hostDatastores(row.host);
        if (!mounted.includes(datastore)) {
          throw new ProviderError(`Datastore ${datastore} is not mounted on host ${row.host}, where the VM runs: Storage vMotion moves its disks only to another datastore of that host (${mounted.join(", ")})`, false);
        }
        const snapshots = row.status.snapshots ?? [];
        if (snapshots.length > 0) throw new ProviderError(snapshotsRefusal(snapshots.map((snapshot) => snapshot.name)), false);
      }
      await ask(vmId, (spec) => ({ ...spec, datastore }));
    },

    /**
     * vSphere HA's restart: the VM's host failed (its Lease expired, by which time its agent's
     * isolation watchdog has killed its QEMU), and another host of the datastore powers it on from
     * the files there. The old host's agent, if it comes back, no longer lists the machine.
     */
    async restartVmOnHost(vmId: string, targetHost: string): Promise<void> {
      const row = await machine(vmId);
      if (row.host === targetHost) return;
      await requireSharedDatastore(row, targetHost, "restarted");
      // A move of its files that the failed host had not finished is off: they are where they were.
      const spec: MachineSpec = { ...row.spec, datastore: location(row), powerState: "PoweredOn", powerMode: "Hard", request: null, migration: null };
      const status: Partial<MachineStatus> = {
        provisioned: true,
        powerState: "PoweredOff",
        datastore: location(row),
        snapshots: row.status.snapshots ?? [],
        currentSnapshotId: row.status.currentSnapshotId ?? null,
        lastRequest: row.status.lastRequest ?? null,
      };
      await db.query(
        `UPDATE agent_machines SET host = $2, spec = $3, status = $4, generation = generation + 1, version = nextval('agent_machine_version_seq'), migration_target = NULL, incoming = NULL WHERE id = $1`,
        [vmId, targetHost, spec, status],
      );
    },

    async renameVm(vmId: string, ownerKey: string): Promise<void> {
      await db.query(`UPDATE agent_machines SET owner_key = $2, spec = jsonb_set(spec, '{ownerKey}', to_jsonb($2::text)) WHERE id = $1`, [vmId, ownerKey]);
    },

    async deleteVm(vmId: string): Promise<void> {
      const row = await machine(vmId);
      if (row.spec.deleted) return;
      await ask(vmId, (spec) => ({ ...spec, deleted: true }));
    },

    async takeSnapshot(vmId: string, request: TakeSnapshotRequest): Promise<void> {
      await oneShot(vmId, { id: request.id, action: "takeSnapshot", snapshotId: request.id, name: request.name, description: request.description, memory: request.memory });
    },

    /** A snapshot with memory resumes running, one without leaves the VM off, as in vSphere: the machine's power state follows. */
    async revertToSnapshot(vmId: string, snapshotId: string, requestId: string): Promise<void> {
      const snapshot = (await machine(vmId)).status.snapshots?.find((candidate) => candidate.id === snapshotId);
      const powerState = snapshot?.includesMemory ? "PoweredOn" : "PoweredOff";
      await oneShot(vmId, { id: requestId, action: "revertToSnapshot", snapshotId }, powerState);
    },

    async removeSnapshot(vmId: string, snapshotId: string | null, requestId: string): Promise<void> {
      await oneShot(vmId, { id: requestId, action: "removeSnapshot", snapshotId });
    },

    /** Forgets the host: its token stops working; its Node and Lease are the engine's to remove. */
    async removeHost(name: string): Promise<void> {
      await db.query(`DELETE FROM spherelet_hosts WHERE name = $1`, [name]);
    },

    /** What the guest uses, for placement and DRS: its resident memory; CPU only as a rate between samples (agent-performance). */
    async guestLoad(vmId: string): Promise<GuestLoad> {
      const row = await machine(vmId);
      return { cpuMhz: 0, memoryActiveMiB: Math.round((row.status.counters?.rssBytes ?? 0) / (1024 * 1024)) };
    },

    async listHosts(): Promise<ProviderHost[]> {
      return hostRows("TRUE", []);
    },

    async findHost(name: string): Promise<ProviderHost | null> {
      return (await hostRows("h.name = $1", [name]))[0] ?? null;
    },

    /** Real hosts are stale when their Lease expired, whatever the simulated grace period (`since`) says. */
    async staleHosts(): Promise<ProviderHost[]> {
      return hostRows(`${LEASE_EXPIRY} < $1`, [now()]);
    },

    async findDatastore(name: string): Promise<ProviderDatastore | null> {
      return (await datastoreRows("datastore = $1", [name]))[0] ?? null;
    },

    /** A folder per machine whose disk is on it, as the agent lays it out (the disk at its provisioned size: qcow2 is thin). */
    async browseDatastore(name: string): Promise<DatastoreFolder[] | null> {
      if ((await datastoreRows("datastore = $1", [name])).length === 0) return null;
      const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE COALESCE(status->>'datastore', spec->>'datastore') = $1 ORDER BY owner_key`, [name]);
      return rows.map((row) => ({
        name: row.owner_key.slice(row.owner_key.indexOf("/") + 1),
        vmOwnerKey: row.owner_key,
        files: [
          { name: "disk.qcow2", sizeBytes: (row.status.diskGiB || row.spec.diskGiB) * 1024 ** 3, type: "Virtual disk" },
          { name: "machine.json", sizeBytes: 1024, type: "VM configuration" },
        ],
      }));
    },

    async performance(at: Date): Promise<PerformanceReport> {
      const hosts = await hostRows("TRUE", []);
      const { rows } = await db.query<MachineRow>(`SELECT ${MACHINE_COLUMNS} FROM agent_machines WHERE status->>'powerState' = 'PoweredOn'`);
      const datastores = await datastoreRows("TRUE", []);
      return machinePerformance(at, hosts, rows.map((row) => ({ ownerKey: row.owner_key, host: row.host, cpus: row.status.cpus ?? row.spec.cpus, memoryMiB: row.status.memoryMiB ?? row.spec.memoryMiB, counters: row.status.counters ?? null })), datastores);
    },
  };

  async function oneShot(vmId: string, request: MachineRequest, powerState?: PowerState): Promise<void> {
    const row = await machine(vmId);
    // The same request twice is one snapshot: only a new id is a new attempt.
    if (row.spec.request?.id === request.id) return;
    await ask(vmId, (spec) => ({ ...spec, request, ...(powerState && { powerState }) }));
  }
}

export type AgentProvider = ReturnType<typeof createAgentProvider>;

/** A kube memory quantity as the agent writes it ("4194304Ki", "4Gi", or bytes) in KiB. */
function parseKibibytes(quantity: string | undefined): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity ?? "");
  if (!match) return 0;
  const value = Number(match[1]);
  return match[2] === "Ki" ? value : match[2] === "Mi" ? value * 1024 : match[2] === "Gi" ? value * 1024 * 1024 : value / 1024;
}
