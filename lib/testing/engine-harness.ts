// A small real inventory and a running engine for engine tests: one cluster of simulated hosts,
// a namespace, vm-operator's classes and images, on the test file's own database.
import pg from "pg";
import type { z } from "zod";
import { virtualMachineSpecSchema } from "@/lib/engine/schemas";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { startEngine, type EngineOptions, type RunningEngine } from "@/lib/engine/engine";
import { readEngineConfig, type EngineConfig } from "@/lib/engine/engine-config";
import { insertObject } from "@/lib/engine/object-store";
import { demoInventory } from "@/lib/seed/demo-inventory";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { createAgentProvider } from "@/lib/provider/agent-provider";
import { routeProviders } from "@/lib/provider/routed-provider";
import { createSimulator, type SimulatorOptions } from "@/lib/simulator/simulator";
import type { InfrastructureProvider } from "@/lib/provider/provider";
import { resyncAll } from "@/lib/engine/singleton-loops";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export const OPERATOR: OperationActor = { id: "test-operator", username: "olivia", role: "operator" };
export const CLUSTER = "test-cluster";
export const NAMESPACE = "apps";
export const DATASTORE = "test-vsan";
export const DATASTORE_CAPACITY_GIB = 100_000;

export interface Harness {
  pool: pg.Pool;
  provider: InfrastructureProvider;
  config: EngineConfig;
  engines: RunningEngine[];
  startEngine(overrides?: Partial<EngineOptions>): RunningEngine;
  stop(): Promise<void>;
}

export async function createHarness(options: {
  hosts?: number;
  hostMemoryMiB?: number;
  hostCores?: number;
  cluster?: Record<string, unknown>;
  simulator?: Partial<SimulatorOptions>;
  config?: Record<string, string>;
} = {}): Promise<Harness> {
  const databaseUrl = process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const simulator = createSimulator({ db: pool, speed: 0, failureRate: 0, ...options.simulator });
  const provider = routeProviders(simulator, createAgentProvider({ db: pool }));
  const config = readEngineConfig({
    SKYLIGHT_SIM_SPEED: "0",
    SKYLIGHT_ENGINE_CONCURRENCY: "8",
    SKYLIGHT_RESYNC_SECONDS: "3600",
    SKYLIGHT_DRS_INTERVAL_SECONDS: "3600",
    SKYLIGHT_ENGINE_LEASE_SECONDS: "5",
    ...options.config,
  });

  const catalog = demoInventory().filter((object) => object.kind === "VirtualMachineClass" || object.kind === "VirtualMachineImage");
  for (const object of catalog) {
    await insertObject(pool, { apiVersion: KIND_API_VERSIONS[object.kind], kind: object.kind, namespace: "", name: object.name, spec: object.spec, status: object.status });
  }
  await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Datacenter, kind: "Datacenter", namespace: "", name: "dc-test", spec: {} });
  await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.Cluster,
    kind: "Cluster",
    namespace: "",
    name: CLUSTER,
    spec: {
      datacenter: "dc-test",
      drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 },
      ha: { enabled: true, hostFailuresToTolerate: 1 },
      overcommit: { cpu: 4, memory: 1.25 },
      ...options.cluster,
    },
  });
  await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.Datastore,
    kind: "Datastore",
    namespace: "",
    name: DATASTORE,
    labels: { [CLUSTER_LABEL]: CLUSTER },
    spec: { datacenter: "dc-test", type: "vsan", capacityGiB: DATASTORE_CAPACITY_GIB },
  });
  await provider.addDatastore({ name: DATASTORE, capacityGiB: DATASTORE_CAPACITY_GIB, otherUsedGiB: 0 });
  await insertObject(pool, { apiVersion: "v1", kind: "Namespace", namespace: "", name: NAMESPACE, spec: { cluster: CLUSTER, limits: {} } });
  for (let index = 1; index <= (options.hosts ?? 3); index++) {
    const name = `esx-${index}.test`;
    await provider.addHost({ name, cluster: CLUSTER, cpuCores: options.hostCores ?? 16, cpuMhz: 2600, memoryMiB: options.hostMemoryMiB ?? 64 * 1024, datastores: [DATASTORE] });
    await insertObject(pool, { apiVersion: KIND_API_VERSIONS.Host, kind: "Host", namespace: "", name, labels: { [CLUSTER_LABEL]: CLUSTER }, spec: { cluster: CLUSTER, maintenanceMode: false } });
  }
  await resyncAll(pool);

  const engines: RunningEngine[] = [];
  return {
    pool,
    provider,
    config,
    engines,
    startEngine(overrides = {}) {
      const engine = startEngine({ databaseUrl, pool, provider, config, log: () => {}, ...overrides });
      engines.push(engine);
      return engine;
    },
    async stop() {
      await Promise.all(engines.map((engine) => engine.stop()));
      await pool.end();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 20_000,
  describe?: () => Promise<unknown>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${describe ? `: ${JSON.stringify(await describe())}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function vmSpec(overrides: Partial<z.input<typeof virtualMachineSpecSchema>> = {}): z.input<typeof virtualMachineSpecSchema> {
  return { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: DATASTORE, powerState: "PoweredOn", ...overrides };
}

export async function vmStatus(pool: pg.Pool, name: string, namespace = NAMESPACE) {
  const { rows } = await pool.query<{ status: Record<string, unknown> & { conditions?: { type: string; status: string; reason: string; message: string }[] }; generation: number; resource_version: string }>(
    `SELECT status, generation::int, resource_version::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2`,
    [namespace, name],
  );
  return rows[0] ?? null;
}

export function isReady(status: { conditions?: { type: string; status: string }[] } | undefined): boolean {
  return status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ?? false;
}

/** The VM once it is Ready in `powerState` and has carried out its latest spec. */
export function convergedVm(pool: pg.Pool, name: string, powerState: string) {
  return waitFor(async () => {
    const vm = await vmStatus(pool, name);
    const status = vm?.status as VirtualMachineStatus | undefined;
    return vm && status && isReady(status) && status.powerState === powerState && status.observedGeneration === vm.generation && { vm, status };
  }, `${name} ${powerState} and converged`, 20_000);
}

/** VMs that report Ready and PoweredOn. */
export async function readyCount(harness: Harness): Promise<number> {
  const { rows } = await harness.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM resources
      WHERE kind = 'VirtualMachine' AND status->'conditions' @> '[{"type":"Ready","status":"True"}]' AND status->>'powerState' = 'PoweredOn'`,
  );
  return rows[0]!.count;
}

/** Creates `count` small powered-on VMs through the engine, `inFlight` at a time. */
export async function createMany(count: number, prefix: string, inFlight = 8): Promise<void> {
  const names = Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(3, "0")}`);
  for (let start = 0; start < names.length; start += inFlight) {
    await Promise.all(
      names.slice(start, start + inFlight).map((name) => createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className: "best-effort-xsmall" }) })),
    );
  }
}
