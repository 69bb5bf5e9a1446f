// Engine functions for the desired state of apps/v1 Deployments and ReplicaSets: create, replace
// (kubectl apply, patch, set image), scale (the scale subresource, kubectl scale) and delete. Each
// is one writeObject call, authorized as a pod's (the edit role in the namespace), with a task in
// Recent Tasks ("Scale deployment web to 5") and an audit event. A delete marks the object; its
// controller deletes what it owns, then lets it go (the skylight.io/dependents finalizer). The
// Deployment controller scales its ReplicaSets through scaleWorkload too, as "deployment-controller".
import type pg from "pg";
import { assertNamespaceWritable } from "@/lib/engine/namespace-quota";
import type { CreatePodInput } from "@/lib/engine/operations/pod-operations";
import { namespacedCreate, namespacedDelete } from "@/lib/engine/operations/namespaced-object-writes";
import { writeObject, type ObjectReplacement, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { sameJson } from "@/lib/engine/same-json";
import { admitWorkloadSpec, assertSelectorKept, MAX_REPLICAS, type ReplicaSetSpec, type WorkloadKind } from "@/lib/engine/workload-spec";
import { InvalidInputError } from "@/lib/errors";
import { DEPENDENTS_FINALIZER, finalizersForDeletion, withEngineOwned, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";

/** How a kind is named in tasks and events. */
const NOUNS: Record<WorkloadKind, string> = { Deployment: "deployment", ReplicaSet: "replica set" };

/** As a pod's; the Deployment controller sets its ReplicaSets' controller references, which no client may. */
export interface CreateWorkloadInput extends CreatePodInput {
  kind: WorkloadKind;
}

export async function createWorkload(actor: OperationActor, input: CreateWorkloadInput, pool?: pg.Pool): Promise<OperationResult<ReplicaSetSpec>> {
  const { kind, namespace, name } = input;
  return writeObject<ReplicaSetSpec>({
    ...namespacedCreate(actor, input, NOUNS[kind]),
    create: async (tx) => {
      const spec = admitWorkloadSpec(kind, input.spec);
      await assertNamespaceWritable(tx, namespace);
      return {
        apiVersion: "apps/v1",
        kind,
        namespace,
        name,
        labels: withEngineOwned("labels", input.labels ?? {}, {}),
        annotations: withEngineOwned("annotations", input.annotations ?? {}, {}),
        finalizers: [DEPENDENTS_FINALIZER],
        ownerReferences: input.ownerReferences ?? [],
        spec,
        status: {},
      };
    },
    pool,
  });
}

/** The task a change reads as: a change of replicas alone is a scale, anything else an update. */
function taskFor(kind: WorkloadKind, name: string, before: ReplicaSetSpec, after: ReplicaSetSpec) {
  const noun = NOUNS[kind];
  if (before.replicas !== after.replicas && sameJson({ ...before, replicas: 0 }, { ...after, replicas: 0 })) {
    return { operation: `${kind}.scale`, description: `Scale ${noun} ${name} to ${after.replicas}` };
  }
  return { operation: `${kind}.update`, description: `Update ${noun} ${name}` };
}

/** A Deployment or ReplicaSet replaced as a whole (kubectl apply, replace, patch, set image); the selector stays. */
export async function updateWorkload(actor: OperationActor, kind: WorkloadKind, input: ObjectReplacement, pool?: pg.Pool): Promise<OperationResult<ReplicaSetSpec>> {
  return writeObject<ReplicaSetSpec>({
    actor,
    key: { kind, namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: `${kind}.update`,
    description: `Update ${NOUNS[kind]} ${input.name}`,
    noOpWithoutTask: true,
    change: (current) => {
      const spec = admitWorkloadSpec(kind, input.spec);
      assertSelectorKept(current.spec, spec);
      return {
        spec,
        labels: withEngineOwned("labels", input.labels, current.labels),
        annotations: withEngineOwned("annotations", input.annotations, current.annotations),
        ownerReferences: input.ownerReferences,
        task: taskFor(kind, input.name, current.spec, spec),
      };
    },
    pool,
  });
}

/** The scale subresource: only spec.replicas changes. */
export async function scaleWorkload(
  actor: OperationActor,
  input: { kind: WorkloadKind; namespace: string; name: string; replicas: number; expectedResourceVersion?: string },
  pool?: pg.Pool,
): Promise<OperationResult<ReplicaSetSpec>> {
  const { kind, name, replicas } = input;
  if (!Number.isInteger(replicas) || replicas < 0) throw new InvalidInputError("spec.replicas", `Invalid value: ${replicas}: must be greater than or equal to 0`);
  if (replicas > MAX_REPLICAS) throw new InvalidInputError("spec.replicas", `Invalid value: ${replicas}: must be less than or equal to ${MAX_REPLICAS} (Skylight's bound on one ${kind.toLowerCase()}'s pods)`);
  return writeObject<ReplicaSetSpec>({
    actor,
    key: { kind, namespace: input.namespace, name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: `${kind}.scale`,
    description: `Scale ${NOUNS[kind]} ${name} to ${replicas}`,
    noOpWithoutTask: true,
    change: (current) => ({ spec: { ...current.spec, replicas } }),
    pool,
  });
}

/** Marks the workload deleted; its controller deletes what it owns, then releases it. */
export async function deleteWorkload(
  actor: OperationActor,
  input: { kind: WorkloadKind; namespace: string; name: string; expectedResourceVersion?: string; propagationPolicy?: PropagationPolicy },
  pool?: pg.Pool,
): Promise<OperationResult<ReplicaSetSpec>> {
  return writeObject<ReplicaSetSpec>({
    ...namespacedDelete(actor, input, NOUNS[input.kind]),
    change: (current) => ({ delete: "mark", finalizers: finalizersForDeletion(current.finalizers, input.propagationPolicy) }),
    pool,
  });
}
