// Datastore › Actions › Refresh Capacity Information: the Datastore controller observes the
// datastore again at once instead of at the next sample round, and finishes the task when it has.
import type pg from "pg";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { CAPACITY_REFRESH_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

export async function refreshDatastoreCapacity(actor: OperationActor, input: { name: string }, pool?: pg.Pool) {
  return writeObject({
    actor,
    key: { kind: "Datastore", namespace: "", name: input.name },
    operation: "Datastore.refreshCapacity",
    description: `Refresh capacity information of ${input.name}`,
    // A new stamp each time, so every request is a change the controller is asked to act on.
    change: (current) => ({ annotations: { ...current.annotations, [CAPACITY_REFRESH_ANNOTATION]: new Date().toISOString() } }),
    pool,
  });
}
