// Engine functions for a Pod's desired state: create, update (kube's rule: only images and
// activeDeadlineSeconds, and metadata) and delete (graceful: marked deleted, its finalizer held
// until its host has stopped it). Each is one writeObject call, authorized like a VM's (the edit
// role in the namespace), with a task in Recent Tasks and an audit event; a new pod meets its
// namespace's limits (lib/engine/namespace-quota.ts). The ReplicaSet controller calls createPod
// and deletePod too.
import type pg from "pg";
import type { Db } from "@/lib/db/pool";
import { assertNamespaceAdmitsPod } from "@/lib/engine/namespace-quota";
import type { OwnerReference } from "@/lib/engine/object-store";
import { writeObject, type ObjectReplacement, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { admitPodSpec, assertPodUpdateAllowed, type PodSpec } from "@/lib/engine/pod-spec";
import { pendingPodStatus } from "@/lib/engine/pod-status";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { CLUSTER_LABEL, DELETION_GRACE_PERIOD_ANNOTATION, finalizersForDeletion, POD_FINALIZER, withEngineOwned, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";

export interface CreatePodInput {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Set by the engine's own controllers (a ReplicaSet's pods), or a client's as lib/kube/owner-reference-admission.ts admits them. */
  ownerReferences?: OwnerReference[];
  spec: unknown;
}

/** A host a client named in spec.nodeName: it must exist in the namespace's cluster. */
async function assertNodeInCluster(tx: Db, nodeName: string, cluster: string) {
  const { rows } = await tx.query<{ cluster: string }>(`SELECT spec->>'cluster' AS cluster FROM resources WHERE kind = 'Host' AND namespace = '' AND name = $1 AND deletion_timestamp IS NULL`, [nodeName]);
  if (rows[0]?.cluster !== cluster) throw new InvalidInputError("spec.nodeName", `Not found: "${nodeName}": no host of that name in cluster ${cluster}, where namespace's pods run`);
}

export async function createPod(actor: OperationActor, input: CreatePodInput, pool?: pg.Pool): Promise<OperationResult<PodSpec>> {
  const { namespace } = input;
  const name = dns1123SubdomainSchema.safeParse(input.name);
  if (!name.success) throw new InvalidInputError("metadata.name", name.error.issues[0]!.message);
  return writeObject<PodSpec>({
    actor,
    key: { kind: "Pod", namespace, name: input.name },
    operation: "Pod.create",
    description: `Create pod ${input.name}`,
    message: `${actor.username} created pod ${namespace}/${input.name}`,
    nameTaken: { field: "metadata.name", message: `A pod named "${input.name}" already exists in namespace ${namespace}.` },
    create: async (tx) => {
      const spec = admitPodSpec(input.spec);
      const owner = await assertNamespaceAdmitsPod(tx, namespace, { name: input.name, spec });
      if (spec.nodeName) await assertNodeInCluster(tx, spec.nodeName, owner.cluster);
      return {
        apiVersion: "v1",
        kind: "Pod",
        namespace,
        name: input.name,
        labels: withEngineOwned("labels", input.labels ?? {}, { [CLUSTER_LABEL]: owner.cluster }),
        annotations: withEngineOwned("annotations", input.annotations ?? {}, {}),
        finalizers: [POD_FINALIZER],
        ownerReferences: input.ownerReferences ?? [],
        spec,
        status: pendingPodStatus(spec) as Record<string, unknown>,
      };
    },
    pool,
  });
}

/** A pod replaced as a whole (kubectl apply, replace, patch): kube lets only images, activeDeadlineSeconds and metadata change. */
export async function updatePod(actor: OperationActor, input: ObjectReplacement, pool?: pg.Pool): Promise<OperationResult<PodSpec>> {
  return writeObject<PodSpec>({
    actor,
    key: { kind: "Pod", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Pod.update",
    description: `Update pod ${input.name}`,
    noOpWithoutTask: true,
    change: (current) => {
      const spec = admitPodSpec(input.spec);
      assertPodUpdateAllowed(current.spec, spec);
      return {
        spec,
        labels: withEngineOwned("labels", input.labels, current.labels),
        annotations: withEngineOwned("annotations", input.annotations, current.annotations),
        ownerReferences: input.ownerReferences,
      };
    },
    pool,
  });
}

/**
 * Deletes a pod gracefully: marked deleted now, removed once its host has stopped it (SIGTERM, then
 * SIGKILL after the grace period), at once if it was never bound. `gracePeriodSeconds` overrides the
 * pod's terminationGracePeriodSeconds, as a kube DeleteOptions does.
 */
export async function deletePod(
  actor: OperationActor,
  input: { namespace: string; name: string; expectedResourceVersion?: string; gracePeriodSeconds?: number; propagationPolicy?: PropagationPolicy },
  pool?: pg.Pool,
): Promise<OperationResult<PodSpec>> {
  const { gracePeriodSeconds } = input;
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) {
    throw new InvalidInputError("gracePeriodSeconds", `Invalid value: ${gracePeriodSeconds}: must be a whole number of seconds, 0 or more`);
  }
  return writeObject<PodSpec>({
    actor,
    key: { kind: "Pod", namespace: input.namespace, name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Pod.delete",
    description: `Delete pod ${input.name}`,
    message: `${actor.username} deleted pod ${input.namespace}/${input.name}`,
    change: (current) => ({
      delete: "mark",
      finalizers: finalizersForDeletion(current.finalizers, input.propagationPolicy),
      ...(gracePeriodSeconds !== undefined && { annotations: { ...current.annotations, [DELETION_GRACE_PERIOD_ANNOTATION]: String(gracePeriodSeconds) } }),
    }),
    pool,
  });
}
