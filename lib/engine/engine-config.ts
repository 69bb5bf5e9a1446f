// The engine's settings from the environment. Simulated time runs SKYLIGHT_SIM_SPEED times
// faster than real time; 0 makes every simulated operation instant (tests, benchmarks).
import { z } from "zod";

const schema = z.object({
  SKYLIGHT_ENGINE: z.enum(["on", "off"]).default("on"),
  SKYLIGHT_SIM_SPEED: z.coerce.number().min(0).max(1000).default(1),
  SKYLIGHT_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  SKYLIGHT_SIM_SEED: z.coerce.number().int().default(42),
  SKYLIGHT_ENGINE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  SKYLIGHT_ENGINE_VM_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  SKYLIGHT_ENGINE_VM_BATCHES: z.coerce.number().int().min(1).max(64).default(4),
  SKYLIGHT_HA_GRACE_SECONDS: z.coerce.number().min(0).default(30),
  SKYLIGHT_RESYNC_SECONDS: z.coerce.number().min(1).default(600),
  SKYLIGHT_DRS_INTERVAL_SECONDS: z.coerce.number().min(1).default(300),
  SKYLIGHT_ENGINE_LEASE_SECONDS: z.coerce.number().min(1).default(15),
});

export type EngineConfig = ReturnType<typeof readEngineConfig>;

export function readEngineConfig(environment: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    throw new Error(`Invalid engine environment:\n${parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n")}`);
  }
  const values = parsed.data;
  const scaled = (seconds: number) => (values.SKYLIGHT_SIM_SPEED === 0 ? 0 : (seconds * 1000) / values.SKYLIGHT_SIM_SPEED);
  return {
    enabled: values.SKYLIGHT_ENGINE === "on",
    simSpeed: values.SKYLIGHT_SIM_SPEED,
    simFailureRate: values.SKYLIGHT_SIM_FAILURE_RATE,
    simSeed: values.SKYLIGHT_SIM_SEED,
    concurrency: values.SKYLIGHT_ENGINE_CONCURRENCY,
    /** VMs are reconciled in batches of up to this many keys (lib/engine/controllers/vm-batch-controller.ts)… */
    vmBatchSize: values.SKYLIGHT_ENGINE_VM_BATCH,
    /** …with at most this many batches at once, besides `concurrency` reconciles of other kinds. */
    vmBatches: values.SKYLIGHT_ENGINE_VM_BATCHES,
    /** How long a host may miss heartbeats before it is declared not responding (simulated time). */
    // A floor keeps an instant simulation from declaring hosts dead between two heartbeats.
    haGraceMs: Math.max(500, scaled(values.SKYLIGHT_HA_GRACE_SECONDS)),
    resyncMs: values.SKYLIGHT_RESYNC_SECONDS * 1000,
    drsIntervalMs: values.SKYLIGHT_DRS_INTERVAL_SECONDS * 1000,
    leaseSeconds: values.SKYLIGHT_ENGINE_LEASE_SECONDS,
  };
}
