// The CustomResourceDefinition controller, as kube-apiextensions' naming, establishing and
// finalizing controllers in one: it accepts a definition's names unless another definition of
// its group, or a built-in kind of that group, already uses one (NamesAccepted False with kube's
// reason, PluralConflict and the like, and the kind is not served); a definition whose names were
// accepted is Established, and from then on served (lib/kube/served-custom-kinds.ts); storedVersions
// records every version objects were stored in. Deleted, it is Terminating while its objects are
// deleted (each through the engine's delete, so an object holding a client's finalizer waits for
// its operator), then goes, and definitions of its group waiting for its names are looked at again.
import { withTransaction } from "@/lib/db/pool";
import { finishTasks, openTasks } from "@/lib/engine/activity";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, listObjects, objectKeyString, removeObject, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { CUSTOM_RESOURCES_PER_SWEEP, sweepCustomResources } from "@/lib/engine/operations/custom-resource-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { sameJson } from "@/lib/engine/same-json";
import { API_RESOURCES } from "@/lib/kube/api-resources";
import {
  DEFINITION_CLEANUP_FINALIZER,
  storageVersionOf,
  storedKindOf,
  type DefinitionCondition,
  type DefinitionNames,
  type DefinitionSpec,
  type DefinitionStatus,
} from "@/lib/vocabulary/custom-resource-definition";

type Definition = StoredObject<DefinitionSpec, DefinitionStatus>;

export const DEFINITION_CONTROLLER: OperationActor = { id: "system:customresourcedefinition-controller", username: "customresourcedefinition-controller", role: "administrator" };

/** A terminating definition whose objects wait for their finalizers looks again this often. */
const TERMINATING_RECHECK_MS = 5_000;

type Conflict = { reason: string; name: string } | null;

/** kube's naming controller: the first of the requested names another kind of the group already uses. */
function nameConflict(requested: DefinitionNames, taken: { resources: Set<string>; kinds: Set<string> }): Conflict {
  if (taken.resources.has(requested.plural)) return { reason: "PluralConflict", name: requested.plural };
  if (requested.singular && taken.resources.has(requested.singular)) return { reason: "SingularConflict", name: requested.singular };
  const shortName = requested.shortNames?.find((name) => taken.resources.has(name));
  if (shortName) return { reason: "ShortNamesConflict", name: shortName };
  if (taken.kinds.has(requested.kind)) return { reason: "KindConflict", name: requested.kind };
  if (requested.listKind && taken.kinds.has(requested.listKind)) return { reason: "ListKindConflict", name: requested.listKind };
  return null;
}

/** The names the group's built-in kinds and its other definitions (as accepted) already use. */
async function namesTaken(ctx: ReconcileContext, definition: Definition) {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const resource of API_RESOURCES.filter((candidate) => candidate.group === definition.spec.group)) {
    for (const name of [resource.plural, resource.singular, ...resource.shortNames]) resources.add(name);
    kinds.add(resource.kind).add(`${resource.kind}List`);
  }
  const others = await listObjects<DefinitionSpec, DefinitionStatus>(ctx.pool, "CustomResourceDefinition", "spec->>'group' = $2 AND name <> $3", [definition.spec.group, definition.name]);
  for (const other of others) {
    const names = other.status.acceptedNames;
    if (!names?.plural) continue;
    for (const name of [names.plural, names.singular, ...(names.shortNames ?? [])]) if (name) resources.add(name);
    kinds.add(names.kind);
    if (names.listKind) kinds.add(names.listKind);
  }
  return { resources, kinds };
}

/** `type`'s condition as it should be now, keeping its transition time when its status stays. */
function condition(previous: DefinitionStatus, type: DefinitionCondition["type"], status: DefinitionCondition["status"], reason: string, message: string, now: Date): DefinitionCondition {
  const before = previous.conditions?.find((candidate) => candidate.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return { type, status, reason, message, lastTransitionTime };
}

/** The status the definition should have: names accepted or why not, established once accepted, stored versions. */
export function definitionStatus(definition: Definition, conflict: Conflict, now: Date): DefinitionStatus {
  const previous = definition.status;
  const requested = { ...definition.spec.names, singular: definition.spec.names.singular || definition.spec.names.kind.toLowerCase(), listKind: definition.spec.names.listKind || `${definition.spec.names.kind}List` };
  const accepted = conflict ? (previous.acceptedNames ?? { plural: "", kind: "" }) : requested;
  const wasEstablished = previous.conditions?.some((candidate) => candidate.type === "Established" && candidate.status === "True") ?? false;
  const established = wasEstablished || !conflict;
  const storage = storageVersionOf(definition.spec);
  return {
    conditions: [
      conflict
        ? condition(previous, "NamesAccepted", "False", conflict.reason, `"${conflict.name}" is already in use`, now)
        : condition(previous, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now),
      established
        ? condition(previous, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now)
        : condition(previous, "Established", "False", "NotAccepted", "not all names are accepted", now),
    ],
    acceptedNames: accepted,
    storedVersions: [...new Set([...(previous.storedVersions ?? []), storage])],
  };
}

export async function reconcileCustomResourceDefinition(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const definition = await getObject<DefinitionSpec, DefinitionStatus>(ctx.pool, key);
  if (!definition) return DONE;
  if (definition.deletionTimestamp) return terminate(ctx, definition);
  const status = definitionStatus(definition, nameConflict(definition.spec.names, await namesTaken(ctx, definition)), ctx.now());
  if (!sameJson(status, definition.status)) await writeStatus(ctx.pool, definition, status);
  return DONE;
}

/** Deletes the definition's objects, then lets it go; its group's other definitions look at its names again. */
async function terminate(ctx: ReconcileContext, definition: Definition): Promise<ReconcileResult> {
  const terminating = condition(definition.status, "Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress", ctx.now());
  const conditions = [...(definition.status.conditions ?? []).filter((candidate) => candidate.type !== "Terminating"), terminating];
  if (!sameJson(conditions, definition.status.conditions)) definition = await writeStatus(ctx.pool, definition, { ...definition.status, conditions });
  const remaining = await sweepCustomResources(DEFINITION_CONTROLLER, ctx.pool, { kind: storedKindOf(definition.spec) });
  if (remaining === CUSTOM_RESOURCES_PER_SWEEP) return requeueAfter(0);
  if (remaining > 0) return requeueAfter(TERMINATING_RECHECK_MS);
  await withTransaction(ctx.pool, async (tx) => {
    const current = await getObject<DefinitionSpec, DefinitionStatus>(tx, definition, { forUpdate: true });
    if (!current || current.uid !== definition.uid) return;
    const released = await writeMetadata(tx, current, { finalizers: current.finalizers.filter((finalizer) => finalizer !== DEFINITION_CLEANUP_FINALIZER) });
    if (released.finalizers.length > 0) return;
    await finishTasks(tx, (await openTasks(tx, definition.uid)).map((task) => task.id));
    await removeObject(tx, released);
    const group = await listObjects(tx, "CustomResourceDefinition", "spec->>'group' = $2", [definition.spec.group]);
    await enqueue(tx, group.map((other) => objectKeyString(other)));
  });
  return DONE;
}
