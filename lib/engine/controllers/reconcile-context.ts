// What every controller is given: the database, the provider, the engine's settings, a clock,
// and small caches of objects that rarely change (VM classes, images, cluster settings).
import type pg from "pg";
import type { EngineConfig } from "@/lib/engine/engine-config";
import { getObject, type ObjectKey } from "@/lib/engine/object-store";
import type { InfrastructureProvider } from "@/lib/provider/provider";

export interface ReconcileContext {
  pool: pg.Pool;
  provider: InfrastructureProvider;
  config: EngineConfig;
  now: () => Date;
  cached<T>(key: ObjectKey, ttlMs?: number): Promise<T | null>;
}

export type ReconcileResult = { kind: "done" } | { kind: "requeueAfter"; ms: number };

export const DONE: ReconcileResult = { kind: "done" };
export const requeueAfter = (ms: number): ReconcileResult => ({ kind: "requeueAfter", ms: Math.max(0, Math.round(ms)) });

/** An error that retrying cannot fix; recorded on the object and not retried. */
export class TerminalError extends Error {}

export function createReconcileContext(pool: pg.Pool, provider: InfrastructureProvider, config: EngineConfig, now = () => new Date()): ReconcileContext {
  const cache = new Map<string, { at: number; value: unknown }>();
  return {
    pool,
    provider,
    config,
    now,
    async cached<T>(key: ObjectKey, ttlMs = 5_000): Promise<T | null> {
      const id = `${key.kind}/${key.namespace}/${key.name}`;
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value as T | null;
      const value = (await getObject(pool, key)) as T | null;
      cache.set(id, { at: Date.now(), value });
      return value;
    },
  };
}
