// Engine functions for custom resources, the objects of kinds CustomResourceDefinitions define:
// create, replace, replace status (the /status subresource) and delete, each one writeObject call
// authorized as an operation on the object (the edit role in its namespace, as kube's aggregated
// edit role writes custom resources), with its task done at once: no Skylight controller acts on
// them, their own operators do. The Kubernetes API has already validated, pruned and defaulted the
// object against its definition's schema (lib/kube/custom-resource-writes.ts); this stores it.
// Stored as a resources row of kind `<Kind>.<group>` whose spec column holds every top-level field
// but apiVersion, kind, metadata and status (so any change of them bumps generation, as kube's
// does) and whose status column holds status. Its finalizers are its clients' (an operator's),
// and an object being deleted goes when a write releases the last one.
import type pg from "pg";
import { RESOURCE_COLUMNS, storedObjectFromRow, type OwnerReference, type ResourceRow } from "@/lib/engine/object-store";
import { writeObject, type ObjectChange, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { clientKindOf, type CustomResourceKind } from "@/lib/inventory/kinds";
import { finalizersForDeletion, withClientFinalizers, withEngineOwned, withEngineOwnedReferences, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";

export type CustomResourceContent = Record<string, unknown>;

interface CustomResourceKey {
  kind: CustomResourceKind;
  namespace: string;
  name: string;
}

export interface CustomResourceWrite extends CustomResourceKey {
  apiVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  finalizers: unknown;
  ownerReferences: OwnerReference[];
  /** Every top-level field but apiVersion, kind, metadata and status. */
  content: CustomResourceContent;
  /** Kept as it is when absent (a kind with a status subresource takes status only through it). */
  status?: Record<string, unknown>;
  expectedResourceVersion?: string;
}

const where = ({ namespace, name }: CustomResourceKey) => (namespace ? `${namespace}/${name}` : name);

export async function createCustomResource(actor: OperationActor, write: CustomResourceWrite, pool?: pg.Pool): Promise<OperationResult<CustomResourceContent>> {
  const { kind, namespace, name } = write;
  const valid = dns1123SubdomainSchema.safeParse(name);
  if (!valid.success) throw new InvalidInputError("metadata.name", valid.error.issues[0]!.message);
  return writeObject<CustomResourceContent>({
    actor,
    key: { kind, namespace, name },
    operation: `${kind}.create`,
    description: `Create ${clientKindOf(kind)} ${name}`,
    message: `${actor.username} created ${clientKindOf(kind)} ${where(write)}`,
    nameTaken: { field: "metadata.name", message: `A ${clientKindOf(kind)} named "${name}" already exists${namespace ? ` in namespace ${namespace}` : ""}.` },
    completesAtOnce: true,
    create: () => ({
      apiVersion: write.apiVersion,
      kind,
      namespace,
      name,
      labels: withEngineOwned("labels", write.labels, {}),
      annotations: withEngineOwned("annotations", write.annotations, {}),
      finalizers: withClientFinalizers(write.finalizers, []),
      ownerReferences: withEngineOwnedReferences(write.ownerReferences, []),
      spec: write.content,
      status: write.status ?? {},
    }),
    pool,
  });
}

/** What every change of one object says: its key and guard, and its task's words ("Update Widget.example.com w1"), done at once. */
function changeOf({ kind, namespace, name }: CustomResourceKey, expectedResourceVersion: string | undefined, operation: string, words: string) {
  return { key: { kind, namespace, name }, expectedResourceVersion, operation: `${kind}.${operation}`, description: `${words} ${clientKindOf(kind)} ${name}`, completesAtOnce: true };
}

/** What releasing the last finalizer of an object being deleted adds to a change: its removal. */
function releasing(deleting: boolean, finalizers: string[]): Pick<ObjectChange<CustomResourceContent>, "delete"> {
  return deleting && finalizers.length === 0 ? { delete: "remove" } : {};
}

/** The object replaced as a whole (kubectl apply, replace, patch, edit); an object being deleted takes the change too, as kube's does. */
export async function replaceCustomResource(actor: OperationActor, write: CustomResourceWrite, pool?: pg.Pool): Promise<OperationResult<CustomResourceContent>> {
  return writeObject<CustomResourceContent>({
    actor,
    ...changeOf(write, write.expectedResourceVersion, "update", "Update"),
    noOpWithoutTask: true,
    whileDeleting: true,
    change: (current) => {
      const finalizers = withClientFinalizers(write.finalizers, current.finalizers);
      return {
        spec: write.content,
        ...(write.status !== undefined ? { status: write.status } : {}),
        labels: withEngineOwned("labels", write.labels, current.labels),
        annotations: withEngineOwned("annotations", write.annotations, current.annotations),
        finalizers,
        ownerReferences: withEngineOwnedReferences(write.ownerReferences, current.ownerReferences),
        ...releasing(current.deletionTimestamp !== null, finalizers),
      };
    },
    pool,
  });
}

/** The /status subresource: status replaced, everything else as it is. */
export async function replaceCustomResourceStatus(
  actor: OperationActor,
  input: CustomResourceKey & { status: Record<string, unknown>; expectedResourceVersion?: string },
  pool?: pg.Pool,
): Promise<OperationResult<CustomResourceContent>> {
  return writeObject<CustomResourceContent>({
    actor,
    ...changeOf(input, input.expectedResourceVersion, "updateStatus", "Update status of"),
    noOpWithoutTask: true,
    whileDeleting: true,
    change: () => ({ status: input.status }),
    pool,
  });
}

/** Gone at once, or marked deleted while finalizers (the client's, or the garbage collector's for Foreground and Orphan) hold it. */
export async function deleteCustomResource(
  actor: OperationActor,
  input: CustomResourceKey & { expectedResourceVersion?: string; propagationPolicy?: PropagationPolicy },
  pool?: pg.Pool,
): Promise<OperationResult<CustomResourceContent>> {
  return writeObject<CustomResourceContent>({
    actor,
    ...changeOf(input, input.expectedResourceVersion, "delete", "Delete"),
    message: `${actor.username} deleted ${clientKindOf(input.kind)} ${where(input)}`,
    change: (current) => {
      const finalizers = finalizersForDeletion(current.finalizers, input.propagationPolicy);
      return finalizers.length > 0 ? { finalizers, delete: "mark" } : { delete: "remove" };
    },
    pool,
  });
}

/** Objects one sweep looks at; a caller with more to delete sweeps again. */
export const CUSTOM_RESOURCES_PER_SWEEP = 100;

/**
 * Deletes the custom resources of `kind` (every custom kind when absent) in `namespace` (everywhere
 * when absent), each as its own delete does, so one a client's finalizer holds waits for its
 * operator. Looks at CUSTOM_RESOURCES_PER_SWEEP at most; returns how many there were, deleted,
 * held or being deleted, so a caller knows whether to look again.
 */
export async function sweepCustomResources(actor: OperationActor, pool: pg.Pool, scope: { kind?: CustomResourceKind; namespace?: string }): Promise<number> {
  const values: unknown[] = [CUSTOM_RESOURCES_PER_SWEEP];
  const clauses = [scope.kind ? `kind = $${values.push(scope.kind)}` : `kind LIKE '%.%'`, ...(scope.namespace !== undefined ? [`namespace = $${values.push(scope.namespace)}`] : [])];
  const { rows } = await pool.query<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE ${clauses.join(" AND ")} ORDER BY kind, namespace, name LIMIT $1`, values);
  for (const object of rows.map((row) => storedObjectFromRow(row)).filter((candidate) => !candidate.deletionTimestamp)) {
    await deleteCustomResource(actor, { kind: object.kind as CustomResourceKind, namespace: object.namespace, name: object.name }, pool).catch((error: unknown) => {
      // Deleted or changed meanwhile: the next sweep sees what is there.
      if (!(error instanceof NotFoundError || error instanceof ConflictError)) throw error;
    });
  }
  return rows.length;
}
