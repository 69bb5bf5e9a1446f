// The one path every change of desired state takes, in one transaction: authorize the actor,
// lock the object, compare the expected resourceVersion (stale → ConflictError, nothing
// written), write the new spec, create the Task, append the audit Event, enqueue the reconcile.
import type pg from "pg";
import { authorize, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import { getObject, objectKeyString, writeMetadata, writeSpec, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";

export type OperationActor = UserActor;

export interface SpecChange<Spec> {
  spec?: Spec;
  annotations?: Record<string, string>;
}

export interface ChangeSpecRequest<Spec> {
  actor: OperationActor;
  /** Checked against the object's key, inside the transaction (lib/auth/authorize.ts). */
  verb?: Verb;
  key: ObjectKey;
  expectedResourceVersion?: string;
  /**
   * For settings forms: the spec's generation the form opened with. Unlike the resourceVersion,
   * it does not move when a controller reports status, so only someone else's change of desired
   * state is a conflict.
   */
  expectedGeneration?: number;
  operation: string;
  description: string;
  /** Computes the new desired state from the current object; throws InvalidInputError to refuse. */
  change: (current: StoredObject<Spec>, tx: Db) => SpecChange<Spec> | Promise<SpecChange<Spec>>;
  /** Other keys whose controllers should look again (a host's cluster, say). */
  alsoEnqueue?: string[];
  pool?: pg.Pool;
}

export interface OperationResult<Spec> {
  object: StoredObject<Spec>;
  taskId: string;
}

export async function changeSpec<Spec>(request: ChangeSpecRequest<Spec>): Promise<OperationResult<Spec>> {
  return withTransaction(request.pool ?? getPool(), async (tx) => {
    await authorize(request.actor, request.verb ?? "operate", request.key, tx);
    const current = await getObject<Spec, Record<string, unknown>>(tx, request.key, { forUpdate: true });
    if (!current) throw new NotFoundError(`${request.key.kind} "${request.key.name}" does not exist.`);
    if (request.expectedResourceVersion !== undefined && request.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    if (request.expectedGeneration !== undefined && request.expectedGeneration !== current.generation) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    if (current.deletionTimestamp) throw new InvalidInputError("name", `${current.kind} "${current.name}" is being deleted.`);

    const change = await request.change(current, tx);
    const specChanged = change.spec !== undefined && JSON.stringify(change.spec) !== JSON.stringify(current.spec);
    const annotations = change.annotations ? { ...current.annotations, ...change.annotations } : undefined;
    const updated = specChanged
      ? await writeSpec<Spec, Record<string, unknown>>(tx, current, change.spec as Spec, { annotations })
      : annotations
        ? await writeMetadata<Spec, Record<string, unknown>>(tx, current, { annotations })
        : current;

    const taskId = await createTaskWithEvent(
      tx,
      { operation: request.operation, description: request.description, target: updated, targetGeneration: updated.generation, initiator: request.actor.username },
      {
        reason: request.operation,
        message: `${request.actor.username}: ${request.description}`,
        actor: request.actor.username,
        before: { spec: current.spec, annotations: current.annotations },
        after: { spec: updated.spec, annotations: updated.annotations },
      },
    );
    // A VM's namespace recounts its usage against its limits.
    const namespace = updated.kind === "VirtualMachine" ? [`Namespace//${updated.namespace}`] : [];
    await enqueue(tx, [objectKeyString(updated), ...namespace, ...(request.alsoEnqueue ?? [])]);
    return { object: updated, taskId };
  });
}

export { ConflictError };
