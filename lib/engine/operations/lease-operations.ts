// coordination.k8s.io/v1 Leases that clients write in their namespaces: leader election, as
// client-go's and client-node's resource locks do it (read the Lease, then create it or update it
// naming the resourceVersion read; a stale version is a ConflictError, so two candidates cannot
// both take it). Authorized as any object a namespace's edit role operates. Unlike other writes a
// Lease makes no task and no audit event: an elector renews every few seconds, which would bury
// Recent Tasks. The host agents' heartbeats in kube-node-lease are node-operations.ts's, and
// lib/kube/kube-access.ts refuses every user's write there.
import type pg from "pg";
import { z } from "zod";
import { authorize } from "@/lib/auth/authorize";
import { withTransaction } from "@/lib/db/pool";
import { assertNamespaceWritable } from "@/lib/engine/namespace-quota";
import { getObject, insertObject, markDeleted, removeObject, writeSpec, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import type { ObjectReplacement, OperationActor } from "@/lib/engine/operations/write-object";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { API_ONLY_KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

const MAX_TEXT = 256;
const time = z.string().max(64).refine((value) => !Number.isNaN(Date.parse(value)), "must be a time in RFC 3339 form (2006-01-02T15:04:05.000000Z)");

/** kube's LeaseSpec, each field bounded. */
const leaseSpecSchema = z.object({
  holderIdentity: z.string().max(MAX_TEXT).nullish(),
  leaseDurationSeconds: z.number().int().gt(0, "must be greater than 0").max(86_400 * 365).nullish(),
  acquireTime: time.nullish(),
  renewTime: time.nullish(),
  leaseTransitions: z.number().int().min(0, "must be greater than or equal to 0").max(2 ** 31 - 1).nullish(),
  strategy: z.string().max(MAX_TEXT).nullish(),
  preferredHolder: z.string().max(MAX_TEXT).nullish(),
});

export type CoordinationLeaseSpec = z.infer<typeof leaseSpecSchema>;

function admitLeaseSpec(spec: unknown): CoordinationLeaseSpec {
  const parsed = leaseSpecSchema.safeParse(spec ?? {});
  if (parsed.success) return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== null && value !== undefined)) as CoordinationLeaseSpec;
  const issue = parsed.error.issues[0]!;
  const field = ["spec", ...issue.path].join(".");
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], spec);
  throw new InvalidInputError(field, `Invalid value: ${JSON.stringify(value) ?? "null"}: ${issue.message}`);
}

const leaseKey = (namespace: string, name: string): ObjectKey => ({ kind: "Lease", namespace, name });

export async function createCoordinationLease(actor: OperationActor, write: ObjectReplacement, pool: pg.Pool): Promise<StoredObject> {
  const valid = dns1123SubdomainSchema.safeParse(write.name);
  if (!valid.success) throw new InvalidInputError("metadata.name", valid.error.issues[0]!.message);
  const spec = admitLeaseSpec(write.spec);
  return withTransaction(pool, async (tx) => {
    const key = leaseKey(write.namespace, write.name);
    await authorize(actor, "operate", key, tx);
    await assertNamespaceWritable(tx, write.namespace);
    return insertObject(tx, {
      ...key,
      apiVersion: API_ONLY_KIND_API_VERSIONS.Lease,
      labels: withEngineOwned("labels", write.labels, {}),
      annotations: withEngineOwned("annotations", write.annotations, {}),
      spec,
    });
  });
}

/** The Lease replaced as a whole if it is still at `expectedResourceVersion` (a ConflictError otherwise). */
export async function replaceCoordinationLease(actor: OperationActor, write: ObjectReplacement, pool: pg.Pool): Promise<StoredObject> {
  const spec = admitLeaseSpec(write.spec);
  return withTransaction(pool, async (tx) => {
    const key = leaseKey(write.namespace, write.name);
    await authorize(actor, "operate", key, tx);
    const current = await getObject(tx, key, { forUpdate: true });
    if (!current) throw new NotFoundError(`Lease "${write.name}" does not exist.`);
    if (write.expectedResourceVersion !== undefined && write.expectedResourceVersion !== current.resourceVersion) throw new ConflictError("Lease", write.name, current.resourceVersion);
    return writeSpec(tx, current, spec, {
      expectedResourceVersion: current.resourceVersion,
      labels: withEngineOwned("labels", write.labels, current.labels),
      annotations: withEngineOwned("annotations", write.annotations, current.annotations),
    });
  });
}

export async function deleteCoordinationLease(actor: OperationActor, input: { namespace: string; name: string; expectedResourceVersion?: string }, pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const key = leaseKey(input.namespace, input.name);
    await authorize(actor, "operate", key, tx);
    const current = await getObject(tx, key, { forUpdate: true });
    if (!current) throw new NotFoundError(`Lease "${input.name}" does not exist.`);
    await removeObject(tx, await markDeleted(tx, current, { expectedResourceVersion: input.expectedResourceVersion }));
  });
}
