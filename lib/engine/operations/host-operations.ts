// Engine functions for hosts: add a host to a cluster, enter and exit maintenance mode, disconnect
// and connect, remove a host from the inventory, and the administrator's failure injection (fail
// and recover a simulated host).
import type pg from "pg";
import { z } from "zod";
import { assertCan } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { createTask, recordEvent } from "@/lib/engine/activity";
import { AlreadyExistsError, getObject, insertObject, markDeleted, objectKeyString, removeObject, type StoredObject } from "@/lib/engine/object-store";
import { changeSpec, type OperationActor } from "@/lib/engine/operations/change-spec";
import { removeHostCapacity } from "@/lib/engine/placement";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { dns1123SubdomainSchema, type HostSpec } from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { SKYLIGHT_API_VERSION } from "@/lib/inventory/kinds";
import type { InfrastructureProvider } from "@/lib/provider/provider";

export const addHostInputSchema = z.object({
  name: dns1123SubdomainSchema,
  cluster: z.string().min(1, "is required"),
  cpuCores: z.number().int().min(1, "must be at least 1").max(896, "must be at most 896"),
  cpuMhz: z.number().int().min(500, "must be at least 500").max(6000, "must be at most 6000"),
  memoryMiB: z.number().int().min(1024, "must be at least 1024").max(24 * 1024 * 1024, "must be at most 24 TiB"),
  datastores: z.array(z.string().min(1)).default([]),
});

export async function addHost(actor: OperationActor, input: z.input<typeof addHostInputSchema>, provider: InfrastructureProvider, pool: pg.Pool = getPool()) {
  const request = addHostInputSchema.parse(input);
  assertCan(actor, "inventory.operate");
  const cluster = await getObject(pool, { kind: "Cluster", namespace: "", name: request.cluster });
  if (!cluster) throw new InvalidInputError("cluster", `Cluster "${request.cluster}" does not exist.`);
  await provider.addHost(request);
  return withTransaction(pool, async (tx) => {
    let host;
    try {
      host = await insertObject<HostSpec>(tx, {
        apiVersion: SKYLIGHT_API_VERSION,
        kind: "Host",
        namespace: "",
        name: request.name,
        labels: { "skylight.io/cluster": request.cluster },
        spec: { cluster: request.cluster, maintenanceMode: false },
      });
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw new InvalidInputError("name", `Host "${request.name}" is already in the inventory.`);
      throw error;
    }
    const taskId = await createTask(tx, {
      operation: "Host.add",
      description: `Add host ${request.name} to ${request.cluster}`,
      target: host,
      targetGeneration: host.generation,
      initiator: actor.username,
    });
    await recordEvent(tx, { reason: "Host.add", message: `${actor.username} added host ${request.name} to ${request.cluster}`, object: host, actor: actor.username, taskId });
    await enqueue(tx, [objectKeyString(host), `Cluster//${request.cluster}`]);
    return { object: host, taskId };
  });
}

export interface HostRequest {
  name: string;
  expectedResourceVersion?: string;
}

type HostChange = (current: StoredObject<HostSpec, { inMaintenanceMode?: boolean }>) => HostSpec;

function changeHost(actor: OperationActor, input: HostRequest, operation: string, description: string, change: HostChange, pool?: pg.Pool) {
  return changeSpec<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation,
    description,
    change: (current) => ({ spec: change(current as StoredObject<HostSpec, { inMaintenanceMode?: boolean }>) }),
    pool,
  });
}

const setMaintenanceMode = (actor: OperationActor, input: HostRequest, enabled: boolean, pool?: pg.Pool) =>
  changeHost(actor, input, enabled ? "Host.enterMaintenanceMode" : "Host.exitMaintenanceMode", `${enabled ? "Enter" : "Exit"} maintenance mode on ${input.name}`, (current) => {
    if (enabled && current.spec.disconnected) {
      throw new InvalidInputError("maintenanceMode", `Host ${input.name} is disconnected: connect it before entering maintenance mode, so its VMs can be migrated.`);
    }
    return { ...current.spec, maintenanceMode: enabled };
  }, pool);

export const enterMaintenanceMode = (actor: OperationActor, input: HostRequest, pool?: pg.Pool) => setMaintenanceMode(actor, input, true, pool);

export const exitMaintenanceMode = (actor: OperationActor, input: HostRequest, pool?: pg.Pool) => setMaintenanceMode(actor, input, false, pool);

const setDisconnected = (actor: OperationActor, input: HostRequest, disconnected: boolean, pool?: pg.Pool) =>
  changeHost(actor, input, disconnected ? "Host.disconnect" : "Host.connect", `${disconnected ? "Disconnect" : "Connect"} host ${input.name}`, (current) => {
    if (disconnected && current.spec.maintenanceMode && !current.status.inMaintenanceMode) {
      throw new InvalidInputError("disconnected", `Host ${input.name} is entering maintenance mode: wait until it is in maintenance mode, or exit it, before disconnecting.`);
    }
    return { ...current.spec, disconnected };
  }, pool);

/** vSphere's Disconnect: the host's VMs keep running but are no longer managed, and vSphere HA leaves them alone. */
export const disconnectHost = (actor: OperationActor, input: HostRequest, pool?: pg.Pool) => setDisconnected(actor, input, true, pool);

export const connectHost = (actor: OperationActor, input: HostRequest, pool?: pg.Pool) => setDisconnected(actor, input, false, pool);

/**
 * Remove from Inventory: only a host in maintenance mode with no VMs left on it (powered-off VMs
 * stay on a host in maintenance mode and must be migrated or deleted first). The simulator's host
 * goes first, so a refusal there leaves the inventory untouched.
 */
export async function removeHostFromInventory(actor: OperationActor, input: HostRequest, provider: InfrastructureProvider, pool: pg.Pool = getPool()) {
  assertCan(actor, "inventory.operate");
  const host = await getObject<HostSpec, { inMaintenanceMode?: boolean }>(pool, { kind: "Host", namespace: "", name: input.name });
  if (!host) throw new NotFoundError(`Host "${input.name}" does not exist.`);
  if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== host.resourceVersion) {
    throw new ConflictError(host.kind, host.name, host.resourceVersion);
  }
  if (!host.spec.maintenanceMode || !host.status.inMaintenanceMode) {
    throw new InvalidInputError("name", `Host ${input.name} is not in maintenance mode: enter maintenance mode first, so its VMs move to other hosts.`);
  }
  const { rows } = await pool.query<{ name: string }>(
    `SELECT namespace || '/' || name AS name FROM resources WHERE kind = 'VirtualMachine' AND status->>'host' = $1 ORDER BY name LIMIT 4`,
    [input.name],
  );
  if (rows.length > 0) {
    throw new InvalidInputError("name", `Host ${input.name} still has VMs on it (${rows.map((row) => row.name).join(", ")}): migrate or delete them before removing the host.`);
  }
  await provider.removeHost(input.name);
  return withTransaction(pool, async (tx) => {
    const current = await getObject<HostSpec, unknown>(tx, host, { forUpdate: true });
    if (!current) throw new NotFoundError(`Host "${input.name}" does not exist.`);
    if (current.resourceVersion !== host.resourceVersion) throw new ConflictError(host.kind, host.name, current.resourceVersion);
    const taskId = await createTask(tx, {
      operation: "Host.removeFromInventory",
      description: `Remove host ${input.name} from inventory`,
      target: current,
      initiator: actor.username,
      state: "success",
    });
    await recordEvent(tx, { reason: "Host.removed", message: `${actor.username} removed host ${input.name} from ${current.spec.cluster}`, object: current, actor: actor.username, taskId });
    await removeObject(tx, await markDeleted(tx, current));
    await removeHostCapacity(tx, input.name);
    await enqueue(tx, `Cluster//${current.spec.cluster}`);
    return { taskId };
  });
}

/** Failure injection into the simulator: administrators only. */
export async function failHost(actor: OperationActor, input: { name: string }, provider: InfrastructureProvider, pool: pg.Pool = getPool()) {
  return injectHostState(actor, input.name, "fail", provider, pool);
}

export async function recoverHost(actor: OperationActor, input: { name: string }, provider: InfrastructureProvider, pool: pg.Pool = getPool()) {
  return injectHostState(actor, input.name, "recover", provider, pool);
}

async function injectHostState(actor: OperationActor, name: string, action: "fail" | "recover", provider: InfrastructureProvider, pool: pg.Pool) {
  assertCan(actor, "simulator.injectFailures");
  const host = await getObject<HostSpec, unknown>(pool, { kind: "Host", namespace: "", name });
  if (!host) throw new NotFoundError(`Host "${name}" does not exist.`);
  if (action === "fail") await provider.failHost(name);
  else await provider.recoverHost(name);
  return withTransaction(pool, async (tx) => {
    const taskId = await createTask(tx, {
      operation: action === "fail" ? "Host.simulateFailure" : "Host.simulateRecovery",
      description: action === "fail" ? `Simulate failure of host ${name}` : `Recover simulated host ${name}`,
      target: host,
      initiator: actor.username,
      state: "success",
    });
    await recordEvent(tx, {
      reason: action === "fail" ? "Host.simulateFailure" : "Host.simulateRecovery",
      message: `${actor.username} ${action === "fail" ? "failed" : "recovered"} simulated host ${name}`,
      object: host,
      actor: actor.username,
      severity: action === "fail" ? "warning" : "info",
      taskId,
    });
    await enqueue(tx, [objectKeyString(host), `Cluster//${host.spec.cluster}`]);
    return { taskId };
  });
}
