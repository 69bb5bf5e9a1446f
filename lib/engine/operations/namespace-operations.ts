// Engine functions for namespaces, one per intent: create (administrators), create through a
// cluster's self-service template (developers in its groups, who become owners), edit limits and
// allowances (administrators), change permissions (owners, administrators, operators), delete
// (administrators, and the creator of a self-served one where its template allows; the namespace
// controller then deletes its VMs, each a task of its own), and
// relabel (whoever may change its permissions). A new namespace comes with its `default` service account.
import type pg from "pg";
import { z } from "zod";
import { authorizeNamespaceDelete, authorizeSelfService, can } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { getObject, type StoredObject } from "@/lib/engine/object-store";
import { DEFAULT_SERVICE_ACCOUNT, ensureDefaultServiceAccount } from "@/lib/engine/operations/service-account-operations";
import { writeObject, type OperationActor, type WriteAuthority } from "@/lib/engine/operations/write-object";
import { assertListedOnce, assertSubjectExists, subjectKey } from "@/lib/engine/permission-subjects";
import { readSelfServiceTemplate, type SelfServiceTemplate } from "@/lib/engine/self-service-template";
import { assertWithinPerUserTotals, recordSelfServed } from "@/lib/engine/self-service-totals";
import {
  dns1123LabelSchema,
  namespaceLimitsSchema,
  namespacePermissionSchema,
  type NamespaceLimits,
  type NamespacePermission,
  type NamespaceSpec,
} from "@/lib/engine/schemas";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER_LABEL, DELETED_BY_ANNOTATION, NAMESPACE_FINALIZER, withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

/** Labels and annotations a client may give a namespace (kubectl apply's last-applied configuration, say). */
const metadataSchema = z.object({
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
});
type NamespaceMetadata = z.infer<typeof metadataSchema>;

export const namespaceAllowancesSchema = z.object({
  limits: namespaceLimitsSchema.default({}),
  /** Absent: every VM class (images, storage classes) may be used. */
  vmClasses: z.array(z.string().min(1)).optional(),
  images: z.array(z.string().min(1)).optional(),
  storageClasses: z.array(z.string().min(1)).optional(),
});
export type NamespaceAllowances = z.infer<typeof namespaceAllowancesSchema>;

export const createNamespaceInputSchema = namespaceAllowancesSchema.extend(metadataSchema.shape).extend({
  name: dns1123LabelSchema,
  cluster: z.string().min(1, "is required"),
  permissions: z.array(namespacePermissionSchema).default([]),
});

/** Refuses a class, image or datastore that does not exist (a datastore must be the cluster's). */
async function assertAllowancesExist(db: Db, cluster: string, allowances: NamespaceAllowances) {
  const wanted = [
    ["VirtualMachineClass", allowances.vmClasses ?? [], "vmClasses", "VM class"],
    ["VirtualMachineImage", allowances.images ?? [], "images", "Image"],
    ["Datastore", allowances.storageClasses ?? [], "storageClasses", "Storage class"],
  ] as const;
  for (const [kind, names, field, noun] of wanted) {
    if (names.length === 0) continue;
    const { rows } = await db.query<{ name: string }>(
      `SELECT name FROM resources WHERE kind = $1 AND namespace = '' AND name = ANY($2::text[]) AND ($1 <> 'Datastore' OR labels->>'skylight.io/cluster' = $3)`,
      [kind, names, cluster],
    );
    const missing = names.filter((name) => !rows.some((row) => row.name === name));
    if (missing.length) {
      throw new InvalidInputError(field, `${noun} ${missing.join(", ")} ${kind === "Datastore" ? `is not a datastore of cluster ${cluster}` : "does not exist"}.`);
    }
  }
}

/**
 * Every user, group and service account a permission names exists, a service account in its
 * namespace (a `created` namespace's only one is `default`, written with it). Only administrators
 * give a service account of another namespace a role; permissions the namespace already had
 * (`before`) stay whoever saves them.
 */
async function assertSubjectsExist(db: Db, actor: OperationActor, namespace: { name: string; created: boolean }, permissions: NamespacePermission[], before: NamespacePermission[] = []) {
  const had = new Set(before.map(subjectKey));
  for (const permission of permissions) {
    const home = permission.namespace ?? namespace.name;
    if (home !== namespace.name && !had.has(subjectKey(permission)) && !can(actor, "namespaces.manage")) {
      throw new ForbiddenError(`Only administrators can give a service account of another namespace (${home}/${permission.name}) a role in ${namespace.name}.`);
    }
    if (permission.kind === "ServiceAccount" && namespace.created && home === namespace.name && permission.name === DEFAULT_SERVICE_ACCOUNT) continue;
    await assertSubjectExists(db, actor, permission, home);
  }
}

/** The permissions as stored: a service account of the namespace itself without its namespace, so each subject has one spelling. */
const ownSpelling = (namespace: string, permissions: NamespacePermission[]) =>
  permissions.map(({ namespace: home, ...permission }) => (home === undefined || home === namespace ? permission : { ...permission, namespace: home }));

function specOf(cluster: string, allowances: NamespaceAllowances, permissions: NamespacePermission[]): NamespaceSpec {
  return {
    cluster,
    limits: allowances.limits,
    ...(allowances.vmClasses && { vmClasses: allowances.vmClasses }),
    ...(allowances.images && { images: allowances.images }),
    ...(allowances.storageClasses && { storageClasses: allowances.storageClasses }),
    permissions,
  };
}

/**
 * Creates the namespace with the task and event. Its cluster label is the engine's; a client may
 * name the cluster with it only as the one the namespace is created on.
 */
function insertNamespace(
  actor: OperationActor,
  authority: WriteAuthority,
  name: string,
  cluster: string,
  how: string,
  build: (tx: Db) => Promise<{ spec: NamespaceSpec; metadata: NamespaceMetadata }>,
  pool?: pg.Pool,
  afterWrite?: (namespace: StoredObject, tx: Db) => Promise<void>,
) {
  return writeObject<NamespaceSpec>({
    actor,
    key: { kind: "Namespace", namespace: "", name },
    authority,
    operation: "Namespace.create",
    description: `Create namespace ${name}`,
    nameTaken: { field: "name", message: `A namespace named "${name}" already exists.` },
    create: async (tx) => {
      const { spec, metadata } = await build(tx);
      if (!(await getObject(tx, { kind: "Cluster", namespace: "", name: spec.cluster }))) throw new InvalidInputError("cluster", `Cluster "${spec.cluster}" does not exist.`);
      await assertAllowancesExist(tx, spec.cluster, spec);
      await assertSubjectsExist(tx, actor, { name, created: true }, spec.permissions);
      return {
        apiVersion: KIND_API_VERSIONS.Namespace,
        kind: "Namespace",
        namespace: "",
        name,
        labels: withEngineOwned("labels", metadata.labels, { [CLUSTER_LABEL]: spec.cluster }),
        annotations: withEngineOwned("annotations", metadata.annotations, {}),
        finalizers: [NAMESPACE_FINALIZER],
        spec,
      };
    },
    message: `${actor.username} created namespace ${name} on ${cluster}${how}`,
    afterWrite: async (namespace, tx) => {
      await ensureDefaultServiceAccount(tx, name);
      await afterWrite?.(namespace, tx);
    },
    pool,
  });
}

export async function createNamespace(actor: OperationActor, input: z.input<typeof createNamespaceInputSchema>, pool?: pg.Pool) {
  const request = createNamespaceInputSchema.parse(input);
  return insertNamespace(actor, { permission: "namespaces.manage" }, request.name, request.cluster, "", async () => ({ spec: specOf(request.cluster, request, ownSpelling(request.name, request.permissions)), metadata: request }), pool);
}

export const selfServiceNamespaceInputSchema = metadataSchema.extend({
  name: dns1123LabelSchema,
  cluster: z.string().min(1, "is required"),
  /** Absent: the template's default for each limit. */
  limits: namespaceLimitsSchema.optional(),
});

/** New Namespace for a developer: within the cluster's template and its per-user totals, with the creator as owner. */
export async function selfServiceNamespace(actor: OperationActor, input: z.input<typeof selfServiceNamespaceInputSchema>, pool?: pg.Pool) {
  const request = selfServiceNamespaceInputSchema.parse(input);
  let template: SelfServiceTemplate | null = null;
  const authority: WriteAuthority = {
    check: async (tx) => {
      template = await readSelfServiceTemplate(tx, request.cluster);
      if (!template) throw new InvalidInputError("cluster", `Cluster ${request.cluster} offers no self-service namespaces.`);
      await authorizeSelfService(actor, template, tx);
    },
  };
  return insertNamespace(actor, authority, request.name, request.cluster, " (self-service)", async (tx) => {
    const { max, defaults, vmClasses, images, storageClasses } = template!;
    const limits: NamespaceLimits = {};
    for (const [key, noun, unit] of [["cpu", "CPU", "vCPUs"], ["memoryMiB", "Memory", "MiB"], ["storageGiB", "Storage", "GiB"]] as const) {
      const value = request.limits?.[key] ?? defaults[key] ?? max[key];
      if (max[key] !== undefined && (value === undefined || value > max[key])) {
        throw new InvalidInputError(`limits.${key}`, `${noun} limit may be at most ${max[key]} ${unit} on ${request.cluster}; ${value === undefined ? "unlimited" : `${value} ${unit}`} was asked.`);
      }
      if (value !== undefined) limits[key] = value;
    }
    await assertWithinPerUserTotals(tx, actor, request.cluster, limits);
    const allowances = {
      limits,
      ...(vmClasses.length && { vmClasses }),
      ...(images.length && { images }),
      ...(storageClasses.length && { storageClasses }),
    };
    return { spec: specOf(request.cluster, allowances, [{ kind: "User", name: actor.username, role: "owner" }]), metadata: request };
  }, pool, (namespace, tx) => recordSelfServed(tx, actor, request.cluster, namespace.uid));
}

export async function updateNamespace(
  actor: OperationActor,
  input: { name: string; expectedResourceVersion?: string } & z.input<typeof namespaceAllowancesSchema>,
  pool?: pg.Pool,
) {
  const allowances = namespaceAllowancesSchema.parse(input);
  return writeObject<NamespaceSpec>({
    actor,
    authority: { permission: "namespaces.manage" },
    key: { kind: "Namespace", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Namespace.update",
    description: `Edit limits and allowances of namespace ${input.name}`,
    change: async (current, tx) => {
      await assertAllowancesExist(tx, current.spec.cluster, allowances);
      const { vmClasses: _classes, images: _images, storageClasses: _storage, ...kept } = current.spec;
      return { spec: { ...kept, ...specOf(current.spec.cluster, allowances, current.spec.permissions ?? []) } };
    },
    pool,
  });
}

export async function setNamespacePermissions(
  actor: OperationActor,
  input: { name: string; permissions: NamespacePermission[]; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const permissions = ownSpelling(input.name, z.array(namespacePermissionSchema).parse(input.permissions));
  assertListedOnce(permissions);
  return writeObject<NamespaceSpec>({
    actor,
    authority: { verb: "managePermissions" },
    key: { kind: "Namespace", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Namespace.setPermissions",
    description: `Change permissions of namespace ${input.name}`,
    change: async (current, tx) => {
      await assertSubjectsExist(tx, actor, { name: input.name, created: false }, permissions, current.spec.permissions ?? []);
      return { spec: { ...current.spec, permissions } };
    },
    pool,
  });
}

/**
 * Replaces a namespace's labels and annotations (owners, administrators and operators, as for its
 * permissions). Its cluster label and Skylight's other skylight.io/ metadata stay as the engine wrote them.
 */
export async function setNamespaceMetadata(
  actor: OperationActor,
  input: { name: string; labels: Record<string, string>; annotations: Record<string, string>; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const wanted = metadataSchema.parse(input);
  return writeObject<NamespaceSpec>({
    actor,
    key: { kind: "Namespace", namespace: "", name: input.name },
    authority: { verb: "managePermissions" },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Namespace.setMetadata",
    description: `Change labels and annotations of namespace ${input.name}`,
    message: `${actor.username} changed the labels and annotations of namespace ${input.name}`,
    noOpWithoutTask: true,
    change: (current) => ({
      labels: withEngineOwned("labels", wanted.labels, current.labels),
      annotations: withEngineOwned("annotations", wanted.annotations, current.annotations),
    }),
    pool,
  });
}

/** Marks the namespace deleted; its controller deletes its VMs and then the namespace. */
export async function deleteNamespace(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool?: pg.Pool) {
  // As kube-apiserver keeps its own: kubectl and every client expect `default` to exist.
  if (input.name === SYSTEM_NAMESPACE) throw new ForbiddenError(`The namespace ${SYSTEM_NAMESPACE} may not be deleted: it is Skylight's system namespace, which every Kubernetes cluster has.`);
  return writeObject<NamespaceSpec>({
    actor,
    key: { kind: "Namespace", namespace: "", name: input.name },
    authority: { check: (tx) => authorizeNamespaceDelete(actor, input.name, tx) },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Namespace.delete",
    description: `Delete namespace ${input.name} and its VMs`,
    message: `${actor.username} deleted namespace ${input.name}`,
    change: (current) => ({
      annotations: { ...current.annotations, [DELETED_BY_ANNOTATION]: actor.username },
      finalizers: current.finalizers.includes(NAMESPACE_FINALIZER) ? current.finalizers : [...current.finalizers, NAMESPACE_FINALIZER],
      delete: "mark",
    }),
    pool,
  });
}
