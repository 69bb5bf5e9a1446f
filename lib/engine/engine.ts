// One engine process: workers that lease due keys from the reconcile queue and run the kind's
// controller, a leader election, and the leader's singleton loops. Several processes on one
// database share the queue; the lease keeps any key in one worker at a time.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { finishTasks, openTasks } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { reconcileCluster } from "@/lib/engine/controllers/cluster-controller";
import { reconcileCustomResourceDefinition } from "@/lib/engine/controllers/custom-resource-definition-controller";
import { reconcileDatastore } from "@/lib/engine/controllers/datastore-controller";
import { reconcileDeployment } from "@/lib/engine/controllers/deployment-controller";
import { reconcileGarbageCollector } from "@/lib/engine/controllers/garbage-collector";
import { reconcileHost } from "@/lib/engine/controllers/host-controller";
import { reconcileImage } from "@/lib/engine/controllers/image-controller";
import { reconcileNamespace } from "@/lib/engine/controllers/namespace-controller";
import { reconcilePod } from "@/lib/engine/controllers/pod-controller";
import { reconcileReplicaSet } from "@/lib/engine/controllers/replicaset-controller";
import { createReconcileContext, TerminalError, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { reconcileVirtualMachineBatch, type BatchOutcome } from "@/lib/engine/controllers/vm-batch-controller";
import type { EngineConfig } from "@/lib/engine/engine-config";
import { electLeader } from "@/lib/engine/leader";
import { getObject, parseObjectKey, writeStatus, type ObjectKey } from "@/lib/engine/object-store";
import { backoffMs, claim, complete, completeMany, extendLeases, RECONCILE_CHANNEL, type Lease, type Outcome } from "@/lib/engine/reconcile-queue";
import { checkHeartbeats, requestDrsPasses, resyncAll } from "@/lib/engine/singleton-loops";
import { evaluateAlarms } from "@/lib/engine/alarm-evaluator";
import { collectMetrics, sampleIntervalMs } from "@/lib/engine/metrics-collector";
import { ProviderError, type InfrastructureProvider } from "@/lib/provider/provider";
import { listenOnChannel } from "@/lib/db/listen-connection";
import { logRepeatable } from "@/lib/log/rate-limited-log";

type Reconciler = (ctx: ReconcileContext, key: ObjectKey) => Promise<ReconcileResult>;

const RECONCILERS: Partial<Record<string, Reconciler>> = {
  Host: reconcileHost,
  Cluster: reconcileCluster,
  Datastore: reconcileDatastore,
  Namespace: reconcileNamespace,
  VirtualMachineImage: reconcileImage,
  Pod: reconcilePod,
  ReplicaSet: reconcileReplicaSet,
  Deployment: reconcileDeployment,
  GarbageCollector: reconcileGarbageCollector,
  CustomResourceDefinition: reconcileCustomResourceDefinition,
};

export interface EngineOptions {
  databaseUrl: string;
  pool: pg.Pool;
  provider: InfrastructureProvider;
  config: EngineConfig;
  log?: (message: string) => void;
  /** Called around each reconcile; tests use it to check that no key runs twice at once. */
  onReconcile?: (event: "start" | "end", key: string, workerId: string) => void;
}

export interface RunningEngine {
  workerId: string;
  isLeader(): boolean;
  stop(): Promise<void>;
}

export function startEngine(options: EngineOptions): RunningEngine {
  const { pool, config } = options;
  const log = options.log ?? ((message: string) => console.log(`[engine] ${message}`));
  // Failures repeat every round while the database is down: through the rate-limited log.
  const logFailure = options.log ?? ((message: string) => logRepeatable(`[engine] ${message}`));
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const ctx = createReconcileContext(pool, options.provider, config);
  const inFlight = new Map<string, Promise<void>>();
  let running = true;
  let wake: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];

  // NOTIFY is only a hint to look sooner; the poll below is the safety net.
  const listener = listenOnChannel({
    connectionString: options.databaseUrl,
    channel: RECONCILE_CHANNEL,
    onMessage: () => wake?.(),
    onResync: () => wake?.(),
    log: (message) => logFailure(`reconcile notices: ${message}`),
  });

  const leaderLoops: NodeJS.Timeout[] = [];
  const election = electLeader(options.databaseUrl, (leader) => {
    log(leader ? `${workerId} is the leader` : `${workerId} is no longer the leader`);
    if (!leader) {
      leaderLoops.splice(0).forEach(clearInterval);
      return;
    }
    const every = (name: string, ms: number, work: () => Promise<unknown>) => {
      let busy = false;
      leaderLoops.push(
        setInterval(() => {
          if (busy || !running) return;
          busy = true;
          const started = Date.now();
          work()
            .catch((error: Error) => logFailure(`leader loop ${name} failed: ${error.message}`))
            .finally(() => {
              busy = false;
              // A round far over its interval delays what it watches (alarms, heartbeats): say so.
              const took = Date.now() - started;
              if (took > Math.max(5_000, ms * 2)) logFailure(`leader loop ${name} took ${took} ms (every ${ms} ms; database pool: ${pool.waitingCount} waiting for a connection)`);
            });
        }, ms),
      );
    };
    every("heartbeats", 1_000, () => checkHeartbeats(ctx));
    every("state and event alarms", 1_000, () => evaluateAlarms(ctx, ctx.now(), ["state", "event"]));
    every("DRS", config.drsIntervalMs, () => requestDrsPasses(ctx));
    every("resync", config.resyncMs, () => resyncAll(pool, config.resyncMs));
    every("performance samples", sampleIntervalMs(config.simSpeed), async () => {
      const at = ctx.now();
      await collectMetrics(ctx, at);
      await evaluateAlarms(ctx, at, ["percent"]);
    });
    void resyncAll(pool, config.resyncMs).catch((error: Error) => logFailure(`resync failed: ${error.message}`));
  });

  timers.push(
    setInterval(() => {
      void extendLeases(pool, workerId, [...inFlight.keys()], config.leaseSeconds).catch(() => undefined);
    }, (config.leaseSeconds * 1000) / 3),
  );

  /** What the queue is told about a key: its reconcile's result, or a retry or terminal failure for its error. */
  const outcomeOf = async (lease: Lease, ran: BatchOutcome): Promise<Outcome> => {
    if ("result" in ran) return ran.result.kind === "done" ? { kind: "done" } : { kind: "requeueAfter", ms: ran.result.ms };
    const error = ran.error;
    const message = error instanceof Error ? error.message : String(error);
    const terminal = error instanceof TerminalError || (error instanceof ProviderError && !error.retryable);
    if (terminal) await recordTerminalError(ctx, lease.key, message).catch(() => undefined);
    return terminal ? { kind: "terminal", error: message } : { kind: "retry", error: message, backoffMs: backoffMs(lease.attempts) };
  };

  const runOne = async (lease: Lease) => {
    options.onReconcile?.("start", lease.key, workerId);
    let ran: BatchOutcome;
    try {
      const key = parseObjectKey(lease.key);
      const reconciler = RECONCILERS[key.kind];
      ran = { result: reconciler ? await reconciler(ctx, key) : { kind: "done" } };
    } catch (error) {
      ran = { error };
    } finally {
      options.onReconcile?.("end", lease.key, workerId);
    }
    const outcome = await outcomeOf(lease, ran);
    await complete(pool, workerId, lease.key, outcome).catch((error: Error) => logFailure(`could not release ${lease.key}: ${error.message}`));
  };

  const runVmBatch = async (leases: Lease[]) => {
    for (const lease of leases) options.onReconcile?.("start", lease.key, workerId);
    let ran: Map<string, BatchOutcome>;
    try {
      ran = await reconcileVirtualMachineBatch(ctx, leases.map((lease) => parseObjectKey(lease.key)));
    } catch (error) {
      ran = new Map(leases.map((lease) => [lease.key, { error }]));
    } finally {
      for (const lease of leases) options.onReconcile?.("end", lease.key, workerId);
    }
    const outcomes = await Promise.all(
      leases.map(async (lease) => ({ key: lease.key, outcome: await outcomeOf(lease, ran.get(lease.key) ?? { result: { kind: "done" } }) })),
    );
    await completeMany(pool, workerId, outcomes).catch((error: Error) => logFailure(`could not release a batch of ${leases.length} VMs: ${error.message}`));
  };

  const track = (keys: string[], work: Promise<void>, units: Set<Promise<void>>) => {
    const unit = work.finally(() => {
      for (const key of keys) inFlight.delete(key);
      units.delete(unit);
      wake?.();
    });
    for (const key of keys) inFlight.set(key, unit);
    units.add(unit);
  };
  const singles = new Set<Promise<void>>();
  const vmBatches = new Set<Promise<void>>();

  // VMs come in batches (their own slots); every other kind one key per slot.
  const loop = async () => {
    while (running) {
      let claimed = 0;
      try {
        if (vmBatches.size < config.vmBatches) {
          const leases = await claim(pool, workerId, config.vmBatchSize, config.leaseSeconds, "vms");
          if (leases.length > 0) track(leases.map((lease) => lease.key), runVmBatch(leases), vmBatches);
          claimed += leases.length;
        }
        const free = config.concurrency - singles.size;
        if (free > 0) {
          const leases = await claim(pool, workerId, free, config.leaseSeconds, "others");
          for (const lease of leases) track([lease.key], runOne(lease), singles);
          claimed += leases.length;
        }
      } catch (error) {
        logFailure(`claim failed: ${(error as Error).message}`);
      }
      if (claimed === 0 || (singles.size >= config.concurrency && vmBatches.size >= config.vmBatches)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    }
  };
  const looping = loop();

  return {
    workerId,
    isLeader: () => election.isLeader(),
    async stop() {
      running = false;
      wake?.();
      timers.forEach(clearInterval);
      leaderLoops.splice(0).forEach(clearInterval);
      await looping;
      await Promise.allSettled(inFlight.values());
      await election.stop();
      await listener.close();
    },
  };
}

/** A terminal error is written where people look: the object's Synced condition and its tasks. */
async function recordTerminalError(ctx: ReconcileContext, keyString: string, message: string): Promise<void> {
  const object = await getObject<unknown, { conditions?: Condition[] }>(ctx.pool, parseObjectKey(keyString));
  if (!object) return;
  await writeStatus(ctx.pool, object, {
    ...object.status,
    conditions: setCondition(object.status.conditions, "Synced", "False", "TerminalError", message, ctx.now()),
  });
  await finishTasks(ctx.pool, (await openTasks(ctx.pool, object.uid)).map((task) => task.id), { error: message });
}
