// Engine functions for core v1 ServiceAccounts: the identities operators run as (their tokens are
// lib/kube/service-account-tokens.ts's). Creating, replacing and deleting one changes who can act
// in the namespace, so it takes the namespace's owner role (managePermissions), as its Permissions
// do; each write is one writeObject call with its task done at once. Every namespace has a
// `default` service account from the engine, as Kubernetes' controller keeps one.
import type pg from "pg";
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { assertNamespaceWritable } from "@/lib/engine/namespace-quota";
import { AlreadyExistsError, getObject, insertObject, type ObjectKey } from "@/lib/engine/object-store";
import { fieldPath } from "@/lib/engine/field-path";
import { namespacedCreate, namespacedDelete } from "@/lib/engine/operations/namespaced-object-writes";
import { writeObject, type ObjectReplacement, type OperationActor, type OperationResult, type WriteAuthority } from "@/lib/engine/operations/write-object";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { API_ONLY_KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

export const DEFAULT_SERVICE_ACCOUNT = "default";
const NOUN = "service account";
/** Enough for any real pull-secret or secret list; a bound on what one object may carry. */
const MAX_REFERENCES = 64;

const localReference = z.object({ name: dns1123SubdomainSchema });
/** kube's ServiceAccount fields, kept at the top level of the object (lib/vocabulary/config-object-fields.ts). */
const serviceAccountFieldsSchema = z.strictObject({
  automountServiceAccountToken: z.boolean({ error: "must be true or false" }).optional(),
  imagePullSecrets: z.array(localReference).max(MAX_REFERENCES, `must have at most ${MAX_REFERENCES} items`).optional(),
  secrets: z
    .array(z.object({ name: dns1123SubdomainSchema, namespace: z.string().max(253).optional(), kind: z.string().max(63).optional(), apiVersion: z.string().max(63).optional() }))
    .max(MAX_REFERENCES, `must have at most ${MAX_REFERENCES} items`)
    .optional(),
});
export type ServiceAccountFields = z.infer<typeof serviceAccountFieldsSchema>;

function admitServiceAccount(fields: unknown): ServiceAccountFields {
  const parsed = serviceAccountFieldsSchema.safeParse(fields ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
  throw new InvalidInputError(fieldPath(path), issue.message);
}

/** Who writes service accounts: whoever manages the namespace's permissions, since a service account is one more subject in them. */
const OWNERS: WriteAuthority = { verb: "managePermissions" };

export interface ServiceAccountWrite extends Omit<ObjectReplacement, "spec"> {
  fields: unknown;
}

export async function createServiceAccount(actor: OperationActor, write: ServiceAccountWrite, pool?: pg.Pool): Promise<OperationResult<ServiceAccountFields>> {
  const { namespace, name } = write;
  return writeObject<ServiceAccountFields>({
    ...namespacedCreate(actor, { kind: "ServiceAccount", namespace, name }, NOUN),
    authority: OWNERS,
    completesAtOnce: true,
    create: async (tx) => {
      const spec = admitServiceAccount(write.fields);
      await assertNamespaceWritable(tx, namespace);
      return {
        apiVersion: API_ONLY_KIND_API_VERSIONS.ServiceAccount,
        kind: "ServiceAccount",
        namespace,
        name,
        labels: withEngineOwned("labels", write.labels, {}),
        annotations: withEngineOwned("annotations", write.annotations, {}),
        spec,
      };
    },
    pool,
  });
}

export async function replaceServiceAccount(actor: OperationActor, write: ServiceAccountWrite, pool?: pg.Pool): Promise<OperationResult<ServiceAccountFields>> {
  const { namespace, name } = write;
  return writeObject<ServiceAccountFields>({
    actor,
    key: { kind: "ServiceAccount", namespace, name },
    authority: OWNERS,
    expectedResourceVersion: write.expectedResourceVersion,
    operation: "ServiceAccount.update",
    description: `Update ${NOUN} ${name}`,
    completesAtOnce: true,
    noOpWithoutTask: true,
    change: (current) => ({
      spec: admitServiceAccount(write.fields),
      labels: withEngineOwned("labels", write.labels, current.labels),
      annotations: withEngineOwned("annotations", write.annotations, current.annotations),
    }),
    pool,
  });
}

/** Deleting it removes its tokens with it (service_account_tokens cascades); the namespace's controller brings back a deleted `default`. */
export async function deleteServiceAccount(actor: OperationActor, input: { namespace: string; name: string; expectedResourceVersion?: string }, pool?: pg.Pool): Promise<OperationResult<ServiceAccountFields>> {
  return writeObject<ServiceAccountFields>({
    ...namespacedDelete(actor, { kind: "ServiceAccount", ...input }, NOUN),
    authority: OWNERS,
    completesAtOnce: true,
    change: () => ({ delete: "remove" }),
    alsoEnqueue: () => [`Namespace//${input.namespace}`],
    pool,
  });
}

/**
 * Gives each namespace that lacks one its `default` service account: for the seeds, which write
 * namespaces straight to the table (as the migration service_accounts did for those that existed).
 */
export const INSERT_MISSING_DEFAULT_SERVICE_ACCOUNTS = `INSERT INTO resources (api_version, kind, namespace, name)
  SELECT 'v1', 'ServiceAccount', name, '${DEFAULT_SERVICE_ACCOUNT}' FROM resources WHERE kind = 'Namespace' AND namespace = '' AND deletion_timestamp IS NULL
  ON CONFLICT (kind, namespace, name) DO NOTHING`;

/**
 * The namespace's `default` service account, if it has none: written with a new namespace, and by
 * its controller whenever it looks (a deleted `default` comes back, as kube's controller brings it
 * back), so no task of its own.
 */
export async function ensureDefaultServiceAccount(db: Db, namespace: string): Promise<void> {
  const key: ObjectKey = { kind: "ServiceAccount", namespace, name: DEFAULT_SERVICE_ACCOUNT };
  if (await getObject(db, key)) return;
  await insertObject(db, { ...key, apiVersion: API_ONLY_KIND_API_VERSIONS.ServiceAccount, spec: {} }).catch((error: unknown) => {
    // Written meanwhile by another reconcile or the namespace's creation: there is one, as asked.
    if (!(error instanceof AlreadyExistsError)) throw error;
  });
}
