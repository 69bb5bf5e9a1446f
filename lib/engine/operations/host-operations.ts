// Engine functions for hosts: add a host to a cluster, enter and exit maintenance mode, and the
// administrator's failure injection (fail and recover a simulated host).
import type pg from "pg";
import { z } from "zod";
import { assertCan } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { createTask, recordEvent } from "@/lib/engine/activity";
import { AlreadyExistsError, getObject, insertObject, objectKeyString } from "@/lib/engine/object-store";
import { changeSpec, type OperationActor } from "@/lib/engine/operations/change-spec";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { dns1123SubdomainSchema, type HostSpec } from "@/lib/engine/schemas";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
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

function setMaintenanceMode(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, enabled: boolean, pool?: pg.Pool) {
  return changeSpec<HostSpec>({
    actor,
    permission: "inventory.operate",
    key: { kind: "Host", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: enabled ? "Host.enterMaintenanceMode" : "Host.exitMaintenanceMode",
    description: `${enabled ? "Enter" : "Exit"} maintenance mode on ${input.name}`,
    change: (current) => ({ spec: { ...current.spec, maintenanceMode: enabled } }),
    pool,
  });
}

export const enterMaintenanceMode = (actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool?: pg.Pool) =>
  setMaintenanceMode(actor, input, true, pool);

export const exitMaintenanceMode = (actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool?: pg.Pool) =>
  setMaintenanceMode(actor, input, false, pool);

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
