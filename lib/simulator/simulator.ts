// The embedded infrastructure provider: simulated hosts and VMs in sim_hosts / sim_vms. Long operations
// are written onto the VM row and settled lazily by the next read once they are due; there are no timers.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import {
  type CreateVmRequest,
  type InfrastructureProvider,
  type PowerChange,
  type PowerOpMode,
  type PowerState,
  type ProviderHost,
  type ProviderOperation,
  type ProviderSnapshot,
  type ProviderVm,
  ProviderError,
  type VmDevices,
} from "@/lib/provider/provider";
import { browseDatastore, insertDatastore, readDatastores } from "@/lib/simulator/simulator-datastores";
import { simulatedPerformance } from "@/lib/simulator/simulator-performance";
import { guestLoadAt, ipAddressFor, type OperationName, operationFails, operationSeconds, publishSeconds, random } from "@/lib/simulator/timing";

export interface SimulatorOptions {
  db: { query: pg.Pool["query"] };
  /** Time multiplier: 2 runs operations twice as fast; 0 completes them on the next read. */
  speed: number;
  /** Probability in [0, 1] that an operation fails. */
  failureRate: number;
  seed?: number;
  now?: () => Date;
}

/** What the operation writes onto the row when it settles, plus the error it will report if it fails. */
interface OperationTarget {
  powerState?: PowerState;
  ipAddress?: string;
  host?: string;
  cpus?: number;
  memoryMiB?: number;
  diskGiB?: number;
  datastore?: string;
  networks?: string[];
  devices?: VmDevices;
  snapshots?: ProviderSnapshot[];
  currentSnapshot?: string | null;
  /** The snapshot request this operation carries out, recorded on the row when it settles. */
  requestId?: string;
  error?: string;
}

interface VmRow {
  id: string;
  owner_key: string;
  host: string;
  datastore: string;
  power_state: PowerState;
  cpus: number;
  memory_mib: number;
  disk_gib: number;
  networks: string[] | null;
  devices: VmDevices;
  ip_address: string | null;
  operation: OperationName | null;
  operation_target: OperationTarget | null;
  operation_started_at: Date | null;
  operation_completes_at: Date | null;
  last_error: string | null;
  snapshots: ProviderSnapshot[];
  current_snapshot: string | null;
  last_request: string | null;
  host_failed_at: Date | null;
}

interface HostRow {
  name: string;
  cluster: string;
  cpu_cores: number;
  cpu_mhz: number;
  memory_mib: number;
  datastores: string[] | null;
  version: string;
  failed_at: Date | null;
}

const FAILURES: Record<OperationName, string> = {
  create: "Clone failed: could not copy the image's disk to the datastore (simulated)",
  powerOn: "Power on failed: the host reported an internal error (simulated)",
  powerOff: "Power off failed: the host reported an internal error (simulated)",
  shutdownGuest: "Guest shutdown failed: the guest OS did not respond to the shutdown request (simulated)",
  suspend: "Suspend failed: could not write the memory image to the datastore (simulated)",
  reconfigure: "Reconfigure failed: the host rejected the new hardware configuration (simulated)",
  migrate: "Migration failed: copying memory to the target host timed out (simulated)",
  relocate: "Storage migration failed: copying the disks to the target datastore timed out (simulated)",
  delete: "Delete failed: could not remove the VM's files from the datastore (simulated)",
  createSnapshot: "Snapshot failed: could not create the delta disk on the datastore (simulated)",
  revertToSnapshot: "Revert to snapshot failed: could not open the snapshot's disks (simulated)",
  removeSnapshot: "Delete snapshot failed: consolidating the disks timed out (simulated)",
};

// Settles every due operation matching the optional ids ($2) / owner keys ($3) filters. Each row is
// re-checked under its row lock (operation_completes_at <= $1), so when processes race one settles it
// and the others skip it. Operations on a failed host are frozen (only a delete still completes).
const SETTLE = `
  WITH due AS (
    SELECT v.id FROM sim_vms v JOIN sim_hosts h ON h.name = v.host
    WHERE v.operation_completes_at <= $1 AND (h.failed_at IS NULL OR v.operation = 'delete')
      AND ($2::text[] IS NULL OR v.id = ANY($2::text[])) AND ($3::text[] IS NULL OR v.owner_key = ANY($3::text[]))
  ), deleted AS (
    DELETE FROM sim_vms WHERE id IN (SELECT id FROM due)
      AND operation = 'delete' AND NOT operation_fails AND operation_completes_at <= $1
  )
  UPDATE sim_vms SET
    power_state = CASE WHEN operation_fails THEN power_state ELSE COALESCE(operation_target->>'powerState', power_state) END,
    ip_address = CASE WHEN operation_fails THEN ip_address ELSE COALESCE(ip_address, operation_target->>'ipAddress') END,
    host = CASE WHEN operation_fails THEN host ELSE COALESCE(operation_target->>'host', host) END,
    cpus = CASE WHEN operation_fails THEN cpus ELSE COALESCE((operation_target->>'cpus')::int, cpus) END,
    memory_mib = CASE WHEN operation_fails THEN memory_mib ELSE COALESCE((operation_target->>'memoryMiB')::int, memory_mib) END,
    disk_gib = CASE WHEN operation_fails THEN disk_gib ELSE COALESCE((operation_target->>'diskGiB')::int, disk_gib) END,
    datastore = CASE WHEN operation_fails THEN datastore ELSE COALESCE(operation_target->>'datastore', datastore) END,
    networks = CASE WHEN operation_fails OR NOT operation_target ? 'networks' THEN networks ELSE operation_target->'networks' END,
    devices = CASE WHEN operation_fails OR NOT operation_target ? 'devices' THEN devices ELSE operation_target->'devices' END,
    snapshots = CASE WHEN operation_fails OR NOT operation_target ? 'snapshots' THEN snapshots ELSE operation_target->'snapshots' END,
    current_snapshot = CASE WHEN operation_fails OR NOT operation_target ? 'currentSnapshot' THEN current_snapshot ELSE operation_target->>'currentSnapshot' END,
    last_request = COALESCE(operation_target->>'requestId', last_request),
    last_error = CASE WHEN operation_fails THEN operation_target->>'error' END,
    operation = NULL, operation_target = NULL, operation_started_at = NULL, operation_completes_at = NULL, operation_fails = false
  WHERE id IN (SELECT id FROM due) AND operation_completes_at <= $1 AND NOT (operation = 'delete' AND NOT operation_fails)`;

const SELECT_VMS = `
  SELECT v.*, h.failed_at AS host_failed_at FROM sim_vms v LEFT JOIN sim_hosts h ON h.name = v.host
  WHERE ($1::text IS NULL OR v.id = $1) AND ($2::text IS NULL OR v.owner_key = $2)
  ORDER BY v.created_at, v.id`;

// The hot reads, one VM by id or by owner key and one host by name, as prepared statements: planning
// the general query above costs more than running it.
const SELECT_VM_BY_ID = {
  name: "sim-vm-by-id",
  text: `SELECT v.*, h.failed_at AS host_failed_at FROM sim_vms v LEFT JOIN sim_hosts h ON h.name = v.host WHERE v.id = $1`,
};
const SELECT_VM_BY_OWNER = {
  name: "sim-vm-by-owner",
  text: `SELECT v.*, h.failed_at AS host_failed_at FROM sim_vms v LEFT JOIN sim_hosts h ON h.name = v.host WHERE v.owner_key = $1`,
};
// Not prepared: a generic plan cannot know how many ids come, and may scan the table for a few.
const SELECT_VMS_BY_IDS = {
  text: `SELECT v.*, h.failed_at AS host_failed_at FROM sim_vms v LEFT JOIN sim_hosts h ON h.name = v.host WHERE v.id = ANY($1::text[])`,
};
const SELECT_VMS_BY_OWNERS = {
  text: `SELECT v.*, h.failed_at AS host_failed_at FROM sim_vms v LEFT JOIN sim_hosts h ON h.name = v.host WHERE v.owner_key = ANY($1::text[])`,
};
const SELECT_HOST_BY_NAME = { name: "sim-host-by-name", text: `SELECT * FROM sim_hosts WHERE name = $1` };

// Many VMs created in one statement: the rows of unnest's arrays, on hosts that exist and respond.
const INSERT_VMS = `
  INSERT INTO sim_vms (id, owner_key, host, datastore, power_state, cpus, memory_mib, disk_gib, networks,
    operation, operation_target, operation_started_at, operation_completes_at, operation_fails)
  SELECT r.id, r.owner_key, h.name, r.datastore, 'PoweredOff', r.cpus, r.memory_mib, r.disk_gib, r.networks,
         'create', r.target, $1::timestamptz, r.completes_at, r.fails
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::jsonb[], $10::jsonb[], $11::timestamptz[], $12::boolean[])
         AS r(id, owner_key, host, datastore, cpus, memory_mib, disk_gib, networks, target, completes_at, fails)
    JOIN sim_hosts h ON h.name = r.host AND h.failed_at IS NULL
  ON CONFLICT (owner_key) DO NOTHING
  RETURNING *, NULL::timestamptz AS host_failed_at`;

// Many operations started in one statement, each only if its row has not changed since it was read.
const START_OPERATIONS = `
  UPDATE sim_vms AS v SET operation = t.name, operation_target = t.target, operation_started_at = $1,
         operation_completes_at = t.completes_at, operation_fails = t.fails, last_error = NULL
    FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::boolean[], $7::timestamptz[])
         AS t(id, name, target, completes_at, fails, previous_start)
   WHERE v.id = t.id AND v.operation_started_at IS NOT DISTINCT FROM t.previous_start
  RETURNING v.id`;

/** What a power-on leaves on the row: running, with the address its guest always gets. */
const powerOnTarget = (row: VmRow): OperationTarget => ({ powerState: "PoweredOn", ipAddress: row.ip_address ?? ipAddressFor(row.id) });

/** Whether the row's operation is due to settle: finished, and not frozen by a failed host (a delete still completes). */
function isDue(row: VmRow, now: Date): boolean {
  return row.operation_completes_at !== null && row.operation_completes_at <= now && (row.host_failed_at === null || row.operation === "delete");
}

/** The operation an observer sees: a failed host has stopped whatever it was doing, except deleting. */
function visibleOperation(row: VmRow): OperationName | null {
  return row.operation && (row.host_failed_at === null || row.operation === "delete") ? row.operation : null;
}

function toProviderVm(row: VmRow, now: Date): ProviderVm {
  const name = visibleOperation(row);
  let operation: ProviderOperation | null = null;
  if (name && row.operation_started_at && row.operation_completes_at) {
    const duration = row.operation_completes_at.getTime() - row.operation_started_at.getTime();
    const elapsed = now.getTime() - row.operation_started_at.getTime();
    const progress = duration > 0 ? Math.min(99, Math.max(0, Math.floor((elapsed / duration) * 100))) : 0;
    operation = { name, progress, completesAt: row.operation_completes_at };
  }
  // A failed host's VMs crashed with it; nothing is stored for that, so recovery cannot forget it.
  const powerState = row.host_failed_at === null ? row.power_state : "PoweredOff";
  return {
    id: row.id,
    ownerKey: row.owner_key,
    host: row.host,
    datastore: row.datastore,
    powerState,
    cpus: row.cpus,
    memoryMiB: row.memory_mib,
    diskGiB: row.disk_gib,
    networks: row.networks,
    devices: row.devices,
    // The guest keeps its lease, but only a running guest reports an address (as VMware Tools do).
    ipAddress: powerState === "PoweredOn" ? row.ip_address : null,
    operation,
    provisioned: !(row.last_error === FAILURES.create && operation === null),
    cpuMemoryHotAdd: true,
    lastError: row.last_error,
    snapshots: row.snapshots,
    currentSnapshotId: row.current_snapshot,
    lastSnapshotRequest: row.last_request,
  };
}

function toProviderHost(row: HostRow, now: Date): ProviderHost {
  return {
    name: row.name,
    cluster: row.cluster,
    connectionState: row.failed_at ? "notResponding" : "connected",
    lastHeartbeat: row.failed_at ?? now,
    cpuCores: row.cpu_cores,
    cpuMhz: row.cpu_mhz,
    memoryMiB: row.memory_mib,
    datastores: row.datastores ?? [],
    version: row.version,
    reportsOwnNode: false,
    heartbeatExpiresAt: null,
    liveMigration: true,
  };
}

const notFound = (vmId: string) => new ProviderError(`VM ${vmId} does not exist`, false);
const busy = (row: VmRow) => new ProviderError(`VM ${row.id} is busy: ${row.operation ?? "another operation"} is in progress`, true);
const notResponding = (host: string) => new ProviderError(`host ${host} is not responding`, true);

export function createSimulator(options: SimulatorOptions): InfrastructureProvider {
  const { db, speed, failureRate, seed = 0 } = options;
  const clock = options.now ?? (() => new Date());

  async function settleAndRead(now: Date, filter: { id?: string; ownerKey?: string; ids?: string[]; ownerKeys?: string[] } = {}): Promise<VmRow[]> {
    const read = async () => {
      if (filter.id !== undefined) return (await db.query<VmRow>({ ...SELECT_VM_BY_ID, values: [filter.id] })).rows;
      if (filter.ownerKey !== undefined) return (await db.query<VmRow>({ ...SELECT_VM_BY_OWNER, values: [filter.ownerKey] })).rows;
      if (filter.ids !== undefined) return (await db.query<VmRow>({ ...SELECT_VMS_BY_IDS, values: [filter.ids] })).rows;
      if (filter.ownerKeys !== undefined) return (await db.query<VmRow>({ ...SELECT_VMS_BY_OWNERS, values: [filter.ownerKeys] })).rows;
      return (await db.query<VmRow>(SELECT_VMS, [null, null])).rows;
    };
    const rows = await read();
    // Most reads find nothing due; settle (and read again) only when something is.
    if (!rows.some((row) => isDue(row, now))) return rows;
    const ids = filter.id !== undefined ? [filter.id] : (filter.ids ?? null);
    const ownerKeys = filter.ownerKey !== undefined ? [filter.ownerKey] : (filter.ownerKeys ?? null);
    await db.query(SETTLE, [now, ids, ownerKeys]);
    return read();
  }

  /** Datastores' used space after settling what is due: a finished clone, delete or storage move changes it. */
  async function observeDatastores(now: Date, name?: string) {
    await db.query(SETTLE, [now, null, null]);
    return readDatastores(db, name);
  }

  async function readHost(name: string): Promise<HostRow | undefined> {
    return (await db.query<HostRow>({ ...SELECT_HOST_BY_NAME, values: [name] })).rows[0];
  }

  async function healthyHost(name: string): Promise<HostRow> {
    const host = await readHost(name);
    if (!host) throw new ProviderError(`host ${name} does not exist`, false);
    if (host.failed_at) throw notResponding(name);
    return host;
  }

  /** The VM, settled, on a responding host and with nothing in flight: ready for a new operation. */
  async function idleVm(vmId: string, now: Date): Promise<VmRow> {
    const [row] = await settleAndRead(now, { id: vmId });
    if (!row) throw notFound(vmId);
    if (row.host_failed_at) throw notResponding(row.host);
    if (row.operation) throw busy(row);
    return row;
  }

  function plan(name: OperationName, vm: { id: string; diskGiB: number; memoryMiB: number }, target: OperationTarget, now: Date) {
    const completesAt = new Date(now.getTime() + operationSeconds(name, vm, speed) * 1000);
    const fails = operationFails(seed, vm.id, name, now, failureRate);
    return { completesAt, fails, target: JSON.stringify(fails ? { ...target, error: FAILURES[name] } : target) };
  }

  /**
   * Starts the operation unless the row changed since it was read (compare-and-set on
   * operation_started_at). `moveTo` re-homes the VM powered off at once, for a restart after a host failure.
   */
  async function start(row: VmRow, now: Date, name: OperationName, target: OperationTarget, moveTo?: string): Promise<void> {
    const op = plan(name, { id: row.id, diskGiB: row.disk_gib, memoryMiB: row.memory_mib }, target, now);
    const { rowCount } = await db.query(
      `UPDATE sim_vms SET operation = $2, operation_target = $3, operation_started_at = $4, operation_completes_at = $5,
         operation_fails = $6, last_error = NULL,
         host = COALESCE($7, host), power_state = CASE WHEN $7::text IS NULL THEN power_state ELSE 'PoweredOff' END
       WHERE id = $1 AND operation_started_at IS NOT DISTINCT FROM $8`,
      [row.id, name, op.target, now, op.completesAt, op.fails, moveTo ?? null, row.operation_started_at],
    );
    if (rowCount === 0) throw busy(row);
  }

  /**
   * Starts a snapshot operation once per request id: a request already finished or in flight is
   * not started again, so the engine can repeat a call it is unsure went through.
   */
  async function startSnapshotOperation(vmId: string, requestId: string, name: OperationName, build: (row: VmRow, now: Date) => OperationTarget) {
    const now = clock();
    const [row] = await settleAndRead(now, { id: vmId });
    if (!row) throw notFound(vmId);
    if (row.last_request === requestId || (row.operation && row.operation_target?.requestId === requestId)) return;
    if (row.host_failed_at) throw notResponding(row.host);
    if (row.operation) throw busy(row);
    await start(row, now, name, { ...build(row, now), requestId });
  }

  function snapshotOf(row: VmRow, snapshotId: string): ProviderSnapshot {
    const snapshot = row.snapshots.find((candidate) => candidate.id === snapshotId);
    if (!snapshot) throw new ProviderError(`VM ${row.id} has no snapshot ${snapshotId}`, false);
    return snapshot;
  }

  async function createVm(input: CreateVmRequest): Promise<ProviderVm> {
    const now = clock();
    const id = `vm-${randomBytes(4).toString("hex")}`;
    let request = input;
    if (input.cloneOf) {
      // A clone copies its source's disk, so it is at least as large.
      const [source] = await settleAndRead(now, { id: input.cloneOf });
      if (!source) throw new ProviderError(`cannot clone VM ${input.cloneOf}: it does not exist`, false);
      request = { ...input, diskGiB: Math.max(input.diskGiB, source.disk_gib) };
    }
    const op = plan("create", { id, ...request }, {}, now);
    const inserted = await db.query<VmRow>(
      `INSERT INTO sim_vms (id, owner_key, host, datastore, power_state, cpus, memory_mib, disk_gib, networks,
         operation, operation_target, operation_started_at, operation_completes_at, operation_fails)
       SELECT $1, $2, name, $3, 'PoweredOff', $4::int, $5::int, $6::int, $12::jsonb, 'create', $7::jsonb, $8::timestamptz, $9::timestamptz, $10::boolean
       FROM sim_hosts WHERE name = $11 AND failed_at IS NULL
       ON CONFLICT (owner_key) DO NOTHING
       RETURNING *, NULL::timestamptz AS host_failed_at`,
      [id, request.ownerKey, request.datastore, request.cpus, request.memoryMiB, request.diskGiB, op.target, now, op.completesAt, op.fails,
        request.host, request.networks ? JSON.stringify(request.networks) : null],
    );
    if (inserted.rows[0]) return toProviderVm(inserted.rows[0], now);

    const [existing] = await settleAndRead(now, { ownerKey: request.ownerKey });
    if (existing) {
      // A failed clone leaves the VM behind with its error, so the failure is observable; asking
      // for the VM again is how the caller retries the clone.
      if (existing.last_error === FAILURES.create && !existing.operation && !existing.host_failed_at) {
        await start(existing, now, "create", {});
        return toProviderVm((await settleAndRead(now, { id: existing.id }))[0] ?? existing, now);
      }
      return toProviderVm(existing, now);
    }
    await healthyHost(request.host);
    throw new ProviderError(`could not create a VM for ${request.ownerKey} on ${request.host}`, true);
  }

  /** createVm for many: one insert for the plain creates; clones, and requests the insert did not take, one at a time. */
  async function createVms(requests: CreateVmRequest[]): Promise<(ProviderVm | Error)[]> {
    const results: (ProviderVm | Error | undefined)[] = requests.map(() => undefined);
    const now = clock();
    const batch = requests.flatMap((request, index) => {
      if (request.cloneOf) return [];
      const id = `vm-${randomBytes(4).toString("hex")}`;
      return [{ index, id, request, op: plan("create", { id, ...request }, {}, now) }];
    });
    if (batch.length > 0) {
      const { rows } = await db.query<VmRow>(INSERT_VMS, [
        now,
        batch.map((each) => each.id),
        batch.map((each) => each.request.ownerKey),
        batch.map((each) => each.request.host),
        batch.map((each) => each.request.datastore),
        batch.map((each) => each.request.cpus),
        batch.map((each) => each.request.memoryMiB),
        batch.map((each) => each.request.diskGiB),
        batch.map((each) => (each.request.networks ? JSON.stringify(each.request.networks) : null)),
        batch.map((each) => each.op.target),
        batch.map((each) => each.op.completesAt),
        batch.map((each) => each.op.fails),
      ]);
      const inserted = new Map(rows.map((row) => [row.owner_key, row]));
      for (const each of batch) {
        const row = inserted.get(each.request.ownerKey);
        if (row) results[each.index] = toProviderVm(row, now);
      }
    }
    for (const [index, request] of requests.entries()) {
      results[index] ??= await createVm(request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    }
    return results as (ProviderVm | Error)[];
  }

  async function setPowerState(vmId: string, state: PowerState, mode: PowerOpMode): Promise<void> {
    const now = clock();
    const row = await idleVm(vmId, now);
    if (row.power_state === state) return;
    if (state === "PoweredOn") {
      return start(row, now, "powerOn", powerOnTarget(row));
    }
    if (state === "Suspended") {
      if (row.power_state !== "PoweredOn") throw new ProviderError(`VM ${vmId} cannot be suspended while powered off`, false);
      return start(row, now, "suspend", { powerState: state });
    }
    // A suspended guest is not running to shut itself down, so its power is cut.
    const graceful = mode !== "Hard" && row.power_state === "PoweredOn";
    return start(row, now, graceful ? "shutdownGuest" : "powerOff", { powerState: state });
  }

  /** setPowerState for many: power-ons of idle VMs start in one statement; anything else one at a time. */
  async function setPowerStates(changes: PowerChange[]): Promise<(Error | null)[]> {
    if (changes.length === 0) return [];
    const now = clock();
    const rows = new Map((await settleAndRead(now, { ids: changes.map((change) => change.vmId) })).map((row) => [row.id, row]));
    const outcomes: (Error | null | undefined)[] = changes.map(() => undefined);
    const starts = changes.flatMap((change, index) => {
      const row = rows.get(change.vmId);
      if (!row || row.host_failed_at || row.operation || change.state !== "PoweredOn") return [];
      if (row.power_state === "PoweredOn") {
        outcomes[index] = null;
        return [];
      }
      return [{ index, row, op: plan("powerOn", { id: row.id, diskGiB: row.disk_gib, memoryMiB: row.memory_mib }, powerOnTarget(row), now) }];
    });
    if (starts.length > 0) {
      const { rows: started } = await db.query<{ id: string }>(START_OPERATIONS, [
        now,
        starts.map((each) => each.row.id),
        starts.map(() => "powerOn"),
        starts.map((each) => each.op.target),
        starts.map((each) => each.op.completesAt),
        starts.map((each) => each.op.fails),
        starts.map((each) => each.row.operation_started_at),
      ]);
      const ok = new Set(started.map((row) => row.id));
      for (const each of starts) outcomes[each.index] = ok.has(each.row.id) ? null : busy(each.row);
    }
    for (const [index, change] of changes.entries()) {
      if (outcomes[index] !== undefined) continue;
      outcomes[index] = await setPowerState(change.vmId, change.state, change.mode).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
    }
    return outcomes as (Error | null)[];
  }

  return {
    async findVm(ownerKey) {
      const now = clock();
      const [row] = await settleAndRead(now, { ownerKey });
      return row ? toProviderVm(row, now) : null;
    },

    async listVms() {
      const now = clock();
      return (await settleAndRead(now)).map((row) => toProviderVm(row, now));
    },

    async findVms(ownerKeys) {
      const now = clock();
      if (ownerKeys.length === 0) return new Map();
      return new Map((await settleAndRead(now, { ownerKeys })).map((row) => [row.owner_key, toProviderVm(row, now)]));
    },

    createVm,
    createVms,
    setPowerState,
    setPowerStates,

    async reconfigureVm(vmId, hardware) {
      const now = clock();
      const row = await idleVm(vmId, now);
      if (hardware.diskGiB < row.disk_gib) {
        throw new ProviderError(`VM ${vmId}: a disk cannot shrink (${row.disk_gib} GiB to ${hardware.diskGiB} GiB)`, false);
      }
      if (row.power_state !== "PoweredOff") {
        if (hardware.cpus < row.cpus || hardware.memoryMiB < row.memory_mib) {
          throw new ProviderError(`VM ${vmId}: CPUs and memory can be removed only while the VM is powered off`, false);
        }
        if (hardware.networks && hardware.networks.length < (row.networks ?? []).length) {
          throw new ProviderError(`VM ${vmId}: a network adapter can be removed only while the VM is powered off`, false);
        }
      }
      const shrunk = hardware.devices?.disks.find((disk) => disk.capacityGiB < (row.devices.disks.find((before) => before.name === disk.name)?.capacityGiB ?? 0));
      if (shrunk) throw new ProviderError(`VM ${vmId}: disk ${shrunk.name} cannot shrink`, false);
      const networksChange = hardware.networks !== undefined && JSON.stringify(hardware.networks) !== JSON.stringify(row.networks);
      // As ESXi does, disks are hot-added and removed and a CD/DVD drive connects while the VM runs.
      const devicesChange = hardware.devices !== undefined && JSON.stringify(hardware.devices) !== JSON.stringify(row.devices);
      if (hardware.cpus === row.cpus && hardware.memoryMiB === row.memory_mib && hardware.diskGiB === row.disk_gib && !networksChange && !devicesChange) return;
      await start(row, now, "reconfigure", {
        cpus: hardware.cpus,
        memoryMiB: hardware.memoryMiB,
        diskGiB: hardware.diskGiB,
        ...(networksChange && { networks: hardware.networks }),
        ...(devicesChange && { devices: hardware.devices }),
      });
    },

    async migrateVm(vmId, targetHost) {
      const now = clock();
      const row = await idleVm(vmId, now);
      const host = await healthyHost(targetHost);
      if (!(host.datastores ?? []).includes(row.datastore)) {
        throw new ProviderError(`host ${targetHost} does not mount datastore ${row.datastore}, where VM ${vmId}'s disks are`, false);
      }
      if (row.host !== targetHost) await start(row, now, "migrate", { host: targetHost });
    },

    async relocateVmStorage(vmId, datastore) {
      const now = clock();
      const row = await idleVm(vmId, now);
      const host = await healthyHost(row.host);
      if (!(host.datastores ?? []).includes(datastore)) {
        throw new ProviderError(`host ${row.host} does not mount datastore ${datastore}`, false);
      }
      if (row.datastore !== datastore) await start(row, now, "relocate", { datastore });
    },

    async publishVm(vmId, request) {
      const now = clock();
      const [row] = await settleAndRead(now, { id: vmId });
      if (!row) throw notFound(vmId);
      const fails = failureRate > 0 && random(seed, vmId, "publish", request.id) < failureRate;
      await db.query(
        `INSERT INTO sim_templates (id, name, source_vm_id, disk_gib, ready_at, fails) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [request.id, request.name, vmId, row.disk_gib, new Date(now.getTime() + publishSeconds(row.disk_gib, speed) * 1000), fails],
      );
    },

    async findTemplate(id) {
      const { rows } = await db.query<{ id: string; name: string; disk_gib: number; ready_at: Date; fails: boolean }>("SELECT * FROM sim_templates WHERE id = $1", [id]);
      const row = rows[0];
      if (!row) return null;
      const done = row.ready_at <= clock();
      return {
        id: row.id,
        name: row.name,
        diskGiB: row.disk_gib,
        ready: done && !row.fails,
        error: done && row.fails ? "Publishing failed: copying the disk to the content library timed out (simulated)" : null,
      };
    },

    async deleteTemplate(id) {
      await db.query("DELETE FROM sim_templates WHERE id = $1", [id]);
    },

    async renameVm(vmId, ownerKey) {
      const { rowCount } = await db.query("UPDATE sim_vms SET owner_key = $2 WHERE id = $1", [vmId, ownerKey]);
      if (!rowCount) throw notFound(vmId);
    },

    async restartVmOnHost(vmId, targetHost) {
      const now = clock();
      const [row] = await settleAndRead(now, { id: vmId });
      if (!row) throw notFound(vmId);
      await healthyHost(targetHost);
      if (visibleOperation(row)) throw busy(row);
      if (!row.host_failed_at && row.power_state === "PoweredOn") {
        if (row.host === targetHost) return;
        throw new ProviderError(`VM ${vmId} is running on ${row.host}; migrate it instead`, false);
      }
      await start(row, now, "powerOn", powerOnTarget(row), targetHost);
    },

    async deleteVm(vmId) {
      const now = clock();
      const [row] = await settleAndRead(now, { id: vmId });
      if (!row || visibleOperation(row) === "delete") return;
      if (visibleOperation(row)) throw busy(row);
      await start(row, now, "delete", {});
    },

    async takeSnapshot(vmId, request) {
      await startSnapshotOperation(vmId, request.id, "createSnapshot", (row, now) => {
        if (request.memory && row.power_state !== "PoweredOn") {
          throw new ProviderError(`VM ${vmId}: memory can be included in a snapshot only while the VM is powered on`, false);
        }
        const snapshot: ProviderSnapshot = {
          id: request.id,
          name: request.name,
          description: request.description,
          createdAt: now.toISOString(),
          includesMemory: request.memory,
          parentId: row.current_snapshot,
          powerState: row.power_state,
          hardware: { cpus: row.cpus, memoryMiB: row.memory_mib, diskGiB: row.disk_gib },
        };
        return { snapshots: [...row.snapshots, snapshot], currentSnapshot: snapshot.id };
      });
    },

    async revertToSnapshot(vmId, snapshotId, requestId) {
      await startSnapshotOperation(vmId, requestId, "revertToSnapshot", (row) => {
        const snapshot = snapshotOf(row, snapshotId);
        // Without memory there is no running guest to resume: the disks come back with the VM off.
        const powerState = snapshot.includesMemory ? "PoweredOn" : "PoweredOff";
        return { powerState, ipAddress: ipAddressFor(row.id), ...snapshot.hardware, currentSnapshot: snapshot.id };
      });
    },

    async removeSnapshot(vmId, snapshotId, requestId) {
      await startSnapshotOperation(vmId, requestId, "removeSnapshot", (row) => {
        if (snapshotId === null) return { snapshots: [], currentSnapshot: null };
        const removed = snapshotOf(row, snapshotId);
        const snapshots = row.snapshots
          .filter((snapshot) => snapshot.id !== removed.id)
          .map((snapshot) => (snapshot.parentId === removed.id ? { ...snapshot, parentId: removed.parentId } : snapshot));
        return { snapshots, currentSnapshot: row.current_snapshot === removed.id ? removed.parentId : row.current_snapshot };
      });
    },

    async listHosts() {
      const now = clock();
      return (await db.query<HostRow>("SELECT * FROM sim_hosts ORDER BY name")).rows.map((row) => toProviderHost(row, now));
    },

    async findHost(name) {
      const row = await readHost(name);
      return row ? toProviderHost(row, clock()) : null;
    },

    async staleHosts(since) {
      const now = clock();
      // Only a failed host stops heartbeating; the others answered just now.
      const { rows } = await db.query<HostRow>("SELECT * FROM sim_hosts WHERE failed_at < $1 ORDER BY name", [since]);
      return rows.map((row) => toProviderHost(row, now));
    },

    async addHost(request) {
      await db.query(
        `INSERT INTO sim_hosts (name, cluster, cpu_cores, cpu_mhz, memory_mib, datastores) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO NOTHING`,
        [request.name, request.cluster, request.cpuCores, request.cpuMhz, request.memoryMiB, request.datastores],
      );
      const host = await readHost(request.name);
      if (!host) throw new ProviderError(`host ${request.name} was removed while being added`, true);
      return toProviderHost(host, clock());
    },

    async removeHost(name) {
      await settleAndRead(clock());
      const { rowCount } = await db.query(
        `DELETE FROM sim_hosts WHERE name = $1
         AND NOT EXISTS (SELECT 1 FROM sim_vms WHERE host = $1 OR operation_target->>'host' = $1)`,
        [name],
      );
      if (rowCount || !(await readHost(name))) return;
      throw new ProviderError(`host ${name} still has VMs on it or migrating to it; move or delete them first`, false);
    },

    async failHost(name) {
      const now = clock();
      // Operations that finished before the failure keep their effect.
      await db.query(SETTLE, [now, null, null]);
      const { rowCount } = await db.query("UPDATE sim_hosts SET failed_at = COALESCE(failed_at, $2) WHERE name = $1", [name, now]);
      if (!rowCount) throw new ProviderError(`host ${name} does not exist`, false);
    },

    async recoverHost(name) {
      if (!(await readHost(name))) throw new ProviderError(`host ${name} does not exist`, false);
      // One statement, so no reader sees the host back with its VMs still marked running. Work the
      // host was doing when it died is lost; a delete requested since then still completes.
      await db.query(
        `WITH recovered AS (UPDATE sim_hosts SET failed_at = NULL WHERE name = $1 AND failed_at IS NOT NULL RETURNING name)
         UPDATE sim_vms SET power_state = 'PoweredOff',
           operation = CASE WHEN operation = 'delete' THEN operation END,
           operation_target = CASE WHEN operation = 'delete' THEN operation_target END,
           operation_started_at = CASE WHEN operation = 'delete' THEN operation_started_at END,
           operation_completes_at = CASE WHEN operation = 'delete' THEN operation_completes_at END,
           operation_fails = operation IS NOT DISTINCT FROM 'delete' AND operation_fails
         WHERE host IN (SELECT name FROM recovered)`,
        [name],
      );
    },

    async guestLoad(vmId, at) {
      const now = clock();
      const [row] = await settleAndRead(now, { id: vmId });
      if (!row) throw notFound(vmId);
      const vm = toProviderVm(row, now);
      if (vm.powerState !== "PoweredOn") return { cpuMhz: 0, memoryActiveMiB: 0 };
      return guestLoadAt(seed, vm, at);
    },

    async findDatastore(name) {
      return (await observeDatastores(clock(), name))[0] ?? null;
    },

    async browseDatastore(name) {
      await db.query(SETTLE, [clock(), null, null]);
      return browseDatastore(db, name);
    },

    async addDatastore(request) {
      await insertDatastore(db, request);
      const [datastore] = await readDatastores(db, request.name);
      if (!datastore) throw new ProviderError(`datastore ${request.name} was removed while being added`, true);
      return datastore;
    },

    async performance(at) {
      const [report, datastores] = await Promise.all([simulatedPerformance(db, seed, at), observeDatastores(at)]);
      return { ...report, datastores };
    },
  };
}
