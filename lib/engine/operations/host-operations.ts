// Engine functions for hosts: add a host to a cluster, enter and exit maintenance mode, disconnect
// and connect, remove a host from the inventory, and the administrator's failure injection (fail
// and recover a simulated host).
import type pg from "pg";
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { getObject, insertObject, type StoredObject } from "@/lib/engine/object-store";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { removeHostCapacity } from "@/lib/engine/placement";
import { dns1123SubdomainSchema, MAX_OTHER_DATASTORES, type HostSpec } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { SKYLIGHT_API_VERSION } from "@/lib/inventory/kinds";
import type { InfrastructureProvider } from "@/lib/provider/provider";
import { mintHostToken } from "@/lib/spherelet/host-tokens";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export const addHostInputSchema = z.object({
  name: dns1123SubdomainSchema,
  cluster: z.string().min(1, "is required"),
  cpuCores: z.number().int().min(1, "must be at least 1").max(896, "must be at most 896"),
  cpuMhz: z.number().int().min(500, "must be at least 500").max(6000, "must be at most 6000"),
  memoryMiB: z.number().int().min(1024, "must be at least 1024").max(24 * 1024 * 1024, "must be at most 24 TiB"),
  datastores: z.array(z.string().min(1)).default([]),
});

/** Adds the host to the provider and the inventory; the provider's host comes first, so a refusal there adds nothing. */
export async function addHost(actor: OperationActor, input: z.input<typeof addHostInputSchema>, provider: InfrastructureProvider, pool?: pg.Pool) {
  const request = addHostInputSchema.parse(input);
  return writeObject<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name: request.name },
    authority: { permission: "inventory.operate" },
    operation: "Host.add",
    description: `Add host ${request.name} to ${request.cluster}`,
    message: `${actor.username} added host ${request.name} to ${request.cluster}`,
    nameTaken: { field: "name", message: `Host "${request.name}" is already in the inventory.` },
    create: async (tx) => {
      const cluster = await getObject(tx, { kind: "Cluster", namespace: "", name: request.cluster });
      if (!cluster) throw new InvalidInputError("cluster", `Cluster "${request.cluster}" does not exist.`);
      if (await getObject(tx, { kind: "Host", namespace: "", name: request.name })) throw new InvalidInputError("name", `Host "${request.name}" is already in the inventory.`);
      if ((await clusterHostKinds(tx, request.cluster)).agent > 0) {
        throw new InvalidInputError("cluster", `Cluster "${request.cluster}" has hosts running the Skylight agent; a cluster holds either simulated hosts or real ones, so that DRS and HA can move its VMs between any two of its hosts.`);
      }
      await provider.addHost(request);
      return { apiVersion: SKYLIGHT_API_VERSION, kind: "Host", namespace: "", name: request.name, labels: { [CLUSTER_LABEL]: request.cluster }, spec: { cluster: request.cluster, maintenanceMode: false } };
    },
    alsoEnqueue: () => [`Cluster//${request.cluster}`],
    pool,
  });
}

export const addAgentHostInputSchema = z.object({
  name: dns1123SubdomainSchema,
  cluster: z.string().min(1, "is required"),
  /** Where the host keeps its VMs by default; hosts that name the same datastore must share its directory. */
  datastore: dns1123SubdomainSchema.optional(),
  /** Other datastores the host mounts (its agent's --datastore NAME=DIR), which Storage vMotion can move its VMs' disks to. */
  otherDatastores: z
    .array(dns1123SubdomainSchema)
    .max(MAX_OTHER_DATASTORES, `must be at most ${MAX_OTHER_DATASTORES} datastores`)
    .refine((names) => new Set(names).size === names.length, "must not name a datastore twice")
    .default([]),
});

/** What a cluster holds, so real and simulated hosts never share one (DRS and HA could not move VMs between them). */
async function clusterHostKinds(tx: Db, cluster: string): Promise<{ simulated: number; agent: number }> {
  const { rows } = await tx.query<{ simulated: number; agent: number }>(
    `SELECT count(*) FILTER (WHERE a.name IS NULL)::int AS simulated, count(a.name)::int AS agent
       FROM resources h LEFT JOIN spherelet_hosts a ON a.name = h.name
      WHERE h.kind = 'Host' AND h.spec->>'cluster' = $1`,
    [cluster],
  );
  return rows[0]!;
}

/**
 * Cluster › Add Host › "a host running the Skylight agent": the Host (disconnected until its agent
 * registers its Node), its datastores that are new to the cluster, and a bootstrap token bound to
 * this host name and cluster, returned once for the command that starts the agent.
 */
export async function addAgentHost(actor: OperationActor, input: z.input<typeof addAgentHostInputSchema>, pool?: pg.Pool) {
  const request = addAgentHostInputSchema.parse(input);
  const datastore = request.datastore ?? `${request.cluster}-datastore`;
  if (request.otherDatastores.includes(datastore)) {
    throw new InvalidInputError("otherDatastores", `Datastore "${datastore}" is already the host's default datastore; list only the others.`);
  }
  let token = "";
  const result = await writeObject<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name: request.name },
    authority: { permission: "inventory.operate" },
    operation: "Host.add",
    description: `Add host ${request.name} (Skylight agent) to ${request.cluster}`,
    message: `${actor.username} added host ${request.name} to ${request.cluster}; it joins when its Skylight agent starts`,
    nameTaken: { field: "name", message: `Host "${request.name}" is already in the inventory.` },
    create: async (tx) => {
      const cluster = await getObject<{ datacenter?: string }, unknown>(tx, { kind: "Cluster", namespace: "", name: request.cluster });
      if (!cluster) throw new InvalidInputError("cluster", `Cluster "${request.cluster}" does not exist.`);
      if ((await clusterHostKinds(tx, request.cluster)).simulated > 0) {
        throw new InvalidInputError("cluster", `Cluster "${request.cluster}" has simulated hosts; a cluster holds either simulated hosts or hosts running the Skylight agent, so that DRS and HA can move its VMs between any two of its hosts.`);
      }
      for (const [field, name] of [["datastore", datastore] as const, ...request.otherDatastores.map((other) => ["otherDatastores", other] as const)]) {
        const existing = await getObject<unknown, unknown>(tx, { kind: "Datastore", namespace: "", name });
        if (existing && existing.labels[CLUSTER_LABEL] !== request.cluster) {
          throw new InvalidInputError(field, `Datastore "${name}" belongs to another cluster; name a new one or one of ${request.cluster}'s.`);
        }
        if (!existing) {
          await insertObject(tx, {
            kind: "Datastore",
            namespace: "",
            name,
            apiVersion: SKYLIGHT_API_VERSION,
            labels: { [CLUSTER_LABEL]: request.cluster },
            spec: { datacenter: cluster.spec.datacenter, type: "local" },
          });
        }
      }
      token = await mintHostToken(tx, { name: request.name, cluster: request.cluster, datastore }, request.otherDatastores);
      return { apiVersion: SKYLIGHT_API_VERSION, kind: "Host", namespace: "", name: request.name, labels: { [CLUSTER_LABEL]: request.cluster }, spec: { cluster: request.cluster, maintenanceMode: false } };
    },
    alsoEnqueue: () => [`Cluster//${request.cluster}`, ...[datastore, ...request.otherDatastores].map((name) => `Datastore//${name}`)],
    pool,
  });
  return { ...result, token, datastore, otherDatastores: request.otherDatastores };
}

export interface HostRequest {
  name: string;
  expectedResourceVersion?: string;
}

type HostChange = (current: StoredObject<HostSpec, { inMaintenanceMode?: boolean }>) => HostSpec;

function changeHost(actor: OperationActor, input: HostRequest, operation: string, description: string, change: HostChange, pool?: pg.Pool) {
  return writeObject<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation,
    description,
    change: (current) => ({ spec: change(current as StoredObject<HostSpec, { inMaintenanceMode?: boolean }>) }),
    pool,
  });
}

/** Entering maintenance mode may also move the host's powered-off and suspended VMs away, as vSphere offers. */
export interface MaintenanceRequest extends HostRequest {
  evacuatePoweredOffVms?: boolean;
}

const setMaintenanceMode = (actor: OperationActor, input: MaintenanceRequest, enabled: boolean, pool?: pg.Pool) =>
  changeHost(actor, input, enabled ? "Host.enterMaintenanceMode" : "Host.exitMaintenanceMode", `${enabled ? "Enter" : "Exit"} maintenance mode on ${input.name}`, (current) => {
    if (enabled && current.spec.disconnected) {
      throw new InvalidInputError("maintenanceMode", `Host ${input.name} is disconnected: connect it before entering maintenance mode, so its VMs can be migrated.`);
    }
    const { evacuatePoweredOffVms: _, ...spec } = current.spec;
    return { ...spec, maintenanceMode: enabled, ...(enabled && input.evacuatePoweredOffVms ? { evacuatePoweredOffVms: true } : {}) };
  }, pool);

export const enterMaintenanceMode = (actor: OperationActor, input: MaintenanceRequest, pool?: pg.Pool) => setMaintenanceMode(actor, input, true, pool);

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
export async function removeHostFromInventory(actor: OperationActor, input: HostRequest, provider: InfrastructureProvider, pool?: pg.Pool) {
  return writeObject<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name: input.name },
    authority: { permission: "inventory.operate" },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Host.removeFromInventory",
    description: `Remove host ${input.name} from inventory`,
    completesAtOnce: true,
    change: async (current, tx) => {
      const status = current.status as { inMaintenanceMode?: boolean };
      if (!current.spec.maintenanceMode || !status.inMaintenanceMode) {
        throw new InvalidInputError("name", `Host ${input.name} is not in maintenance mode: enter maintenance mode first, so its VMs move to other hosts.`);
      }
      const { rows } = await tx.query<{ name: string }>(
        `SELECT namespace || '/' || name AS name FROM resources WHERE kind = 'VirtualMachine' AND status->>'host' = $1 ORDER BY name LIMIT 4`,
        [input.name],
      );
      if (rows.length > 0) {
        throw new InvalidInputError("name", `Host ${input.name} still has VMs on it (${rows.map((row) => row.name).join(", ")}): migrate or delete them before removing the host.`);
      }
      await provider.removeHost(input.name);
      await removeHostCapacity(tx, input.name);
      // The host as the Kubernetes API saw it goes with it.
      await tx.query(`DELETE FROM resources WHERE (kind = 'Node' AND namespace = '' AND name = $1) OR (kind = 'Lease' AND namespace = 'kube-node-lease' AND name = $1)`, [input.name]);
      return { delete: "remove" };
    },
    message: `${actor.username} removed host ${input.name} from inventory`,
    alsoEnqueue: (host) => [`Cluster//${host.labels[CLUSTER_LABEL]}`],
    pool,
  });
}

/** Failure injection into the simulator: administrators only. */
export async function failHost(actor: OperationActor, input: { name: string }, provider: InfrastructureProvider, pool?: pg.Pool) {
  return injectHostState(actor, input.name, "fail", provider, pool);
}

export async function recoverHost(actor: OperationActor, input: { name: string }, provider: InfrastructureProvider, pool?: pg.Pool) {
  return injectHostState(actor, input.name, "recover", provider, pool);
}

function injectHostState(actor: OperationActor, name: string, action: "fail" | "recover", provider: InfrastructureProvider, pool?: pg.Pool) {
  const fail = action === "fail";
  return writeObject<HostSpec>({
    actor,
    key: { kind: "Host", namespace: "", name },
    authority: { permission: "simulator.injectFailures" },
    operation: fail ? "Host.simulateFailure" : "Host.simulateRecovery",
    description: fail ? `Simulate failure of host ${name}` : `Recover simulated host ${name}`,
    message: `${actor.username} ${fail ? "failed" : "recovered"} simulated host ${name}`,
    severity: fail ? "warning" : "info",
    completesAtOnce: true,
    change: async () => {
      await (fail ? provider.failHost(name) : provider.recoverHost(name));
      return {};
    },
    alsoEnqueue: (host) => [`Cluster//${host.labels[CLUSTER_LABEL]}`],
    pool,
  });
}
