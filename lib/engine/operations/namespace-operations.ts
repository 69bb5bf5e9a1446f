// Engine functions for namespaces, one per intent: create (administrators), create through a
// cluster's self-service template (developers in its groups, who become owners), edit limits and
// allowances (administrators), change permissions (owners, administrators, operators), delete
// (administrators; the namespace controller then deletes its VMs, each a task of its own), and
// relabel (whoever may change its permissions).
import type pg from "pg";
import { z } from "zod";
import { assertCan, authorize, authorizeSelfService } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import { AlreadyExistsError, getObject, insertObject, markDeleted, objectKeyString, writeMetadata } from "@/lib/engine/object-store";
import { changeSpec, type OperationActor } from "@/lib/engine/operations/change-spec";
import { sameJson } from "@/lib/engine/same-json";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { readSelfServiceTemplate } from "@/lib/engine/self-service-template";
import { assertWithinPerUserTotals, recordSelfServed } from "@/lib/engine/self-service-totals";
import {
  dns1123LabelSchema,
  namespaceLimitsSchema,
  namespacePermissionSchema,
  type NamespaceLimits,
  type NamespacePermission,
  type NamespaceSpec,
} from "@/lib/engine/schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";

export const NAMESPACE_FINALIZER = "skylight.io/namespace";
/** Who deleted the namespace, so that the deletes of its VMs name them as initiator. */
export const DELETED_BY_ANNOTATION = "skylight.io/deleted-by";
/** The label naming a namespace's cluster: set at creation, never changed. */
export const CLUSTER_LABEL = "skylight.io/cluster";

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

async function assertSubjectsExist(db: Db, permissions: NamespacePermission[]) {
  for (const permission of permissions) {
    const { rowCount } = await db.query(
      permission.kind === "User" ? `SELECT 1 FROM users WHERE username = $1` : `SELECT 1 FROM user_groups WHERE name = $1`,
      [permission.name],
    );
    if (!rowCount) throw new InvalidInputError("permissions", `There is no ${permission.kind === "User" ? "user" : "group"} named "${permission.name}".`);
  }
}

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

async function insertNamespace(tx: Db, actor: OperationActor, spec: NamespaceSpec, metadata: NamespaceMetadata, name: string, how: string) {
  const cluster = await getObject(tx, { kind: "Cluster", namespace: "", name: spec.cluster });
  if (!cluster) throw new InvalidInputError("cluster", `Cluster "${spec.cluster}" does not exist.`);
  await assertAllowancesExist(tx, spec.cluster, spec);
  await assertSubjectsExist(tx, spec.permissions);
  let object;
  try {
    object = await insertObject<NamespaceSpec>(tx, {
      apiVersion: KIND_API_VERSIONS.Namespace,
      kind: "Namespace",
      namespace: "",
      name,
      labels: { ...metadata.labels, [CLUSTER_LABEL]: spec.cluster },
      annotations: metadata.annotations,
      finalizers: [NAMESPACE_FINALIZER],
      spec,
    });
  } catch (error) {
    if (error instanceof AlreadyExistsError) throw new InvalidInputError("name", `A namespace named "${name}" already exists.`);
    throw error;
  }
  const taskId = await createTaskWithEvent(
    tx,
    { operation: "Namespace.create", description: `Create namespace ${name}`, target: object, targetGeneration: object.generation, initiator: actor.username },
    { reason: "Namespace.create", message: `${actor.username} created namespace ${name} on ${spec.cluster}${how}`, actor: actor.username, after: { spec } },
  );
  await enqueue(tx, objectKeyString(object));
  return { object, taskId };
}

export async function createNamespace(actor: OperationActor, input: z.input<typeof createNamespaceInputSchema>, pool: pg.Pool = getPool()) {
  const request = createNamespaceInputSchema.parse(input);
  assertCan(actor, "namespaces.manage");
  return withTransaction(pool, (tx) => insertNamespace(tx, actor, specOf(request.cluster, request, request.permissions), request, request.name, ""));
}

export const selfServiceNamespaceInputSchema = metadataSchema.extend({
  name: dns1123LabelSchema,
  cluster: z.string().min(1, "is required"),
  /** Absent: the template's default for each limit. */
  limits: namespaceLimitsSchema.optional(),
});

/** New Namespace for a developer: within the cluster's template and its per-user totals, with the creator as owner. */
export async function selfServiceNamespace(actor: OperationActor, input: z.input<typeof selfServiceNamespaceInputSchema>, pool: pg.Pool = getPool()) {
  const request = selfServiceNamespaceInputSchema.parse(input);
  return withTransaction(pool, async (tx) => {
    const template = await readSelfServiceTemplate(tx, request.cluster);
    if (!template) throw new InvalidInputError("cluster", `Cluster ${request.cluster} offers no self-service namespaces.`);
    await authorizeSelfService(actor, template, tx);
    const limits: NamespaceLimits = {};
    for (const [key, noun, unit] of [["cpu", "CPU", "vCPUs"], ["memoryMiB", "Memory", "MiB"], ["storageGiB", "Storage", "GiB"]] as const) {
      const max = template.max[key];
      const value = request.limits?.[key] ?? template.defaults[key] ?? max;
      if (max !== undefined && (value === undefined || value > max)) {
        throw new InvalidInputError(`limits.${key}`, `${noun} limit may be at most ${max} ${unit} on ${request.cluster}; ${value === undefined ? "unlimited" : `${value} ${unit}`} was asked.`);
      }
      if (value !== undefined) limits[key] = value;
    }
    await assertWithinPerUserTotals(tx, actor, request.cluster, limits);
    const allowances = {
      limits,
      ...(template.vmClasses.length && { vmClasses: template.vmClasses }),
      ...(template.images.length && { images: template.images }),
      ...(template.storageClasses.length && { storageClasses: template.storageClasses }),
    };
    const created = await insertNamespace(tx, actor, specOf(request.cluster, allowances, [{ kind: "User", name: actor.username, role: "owner" }]), request, request.name, " (self-service)");
    await recordSelfServed(tx, actor, request.cluster, created.object.uid);
    return created;
  });
}

export async function updateNamespace(
  actor: OperationActor,
  input: { name: string; expectedResourceVersion?: string } & z.input<typeof namespaceAllowancesSchema>,
  pool?: pg.Pool,
) {
  const allowances = namespaceAllowancesSchema.parse(input);
  assertCan(actor, "namespaces.manage");
  return changeSpec<NamespaceSpec>({
    actor,
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
  const permissions = z.array(namespacePermissionSchema).parse(input.permissions);
  const subjects = new Set<string>();
  for (const permission of permissions) {
    const key = `${permission.kind}/${permission.name}`;
    if (subjects.has(key)) throw new InvalidInputError("permissions", `${permission.kind === "User" ? "User" : "Group"} ${permission.name} is listed twice; give each one role.`);
    subjects.add(key);
  }
  return changeSpec<NamespaceSpec>({
    actor,
    verb: "managePermissions",
    key: { kind: "Namespace", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Namespace.setPermissions",
    description: `Change permissions of namespace ${input.name}`,
    change: async (current, tx) => {
      await assertSubjectsExist(tx, permissions);
      return { spec: { ...current.spec, permissions } };
    },
    pool,
  });
}

/**
 * Replaces a namespace's labels and annotations (owners, administrators and operators, as for its
 * permissions). Its cluster label and Skylight's own skylight.io/ annotations stay as they are.
 */
export async function setNamespaceMetadata(
  actor: OperationActor,
  input: { name: string; labels: Record<string, string>; annotations: Record<string, string>; expectedResourceVersion?: string },
  pool: pg.Pool = getPool(),
) {
  const wanted = metadataSchema.parse(input);
  return withTransaction(pool, async (tx) => {
    await authorize(actor, "managePermissions", { kind: "Namespace", name: input.name }, tx);
    const current = await getObject<NamespaceSpec, unknown>(tx, { kind: "Namespace", namespace: "", name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`Namespace "${input.name}" does not exist.`);
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    if (CLUSTER_LABEL in wanted.labels && wanted.labels[CLUSTER_LABEL] !== current.labels[CLUSTER_LABEL]) {
      throw new InvalidInputError(`metadata.labels.${CLUSTER_LABEL}`, "names the namespace's cluster and cannot be changed.");
    }
    const labels = { ...wanted.labels, [CLUSTER_LABEL]: current.labels[CLUSTER_LABEL] ?? current.spec.cluster };
    const annotations = {
      ...Object.fromEntries(Object.entries(wanted.annotations).filter(([key]) => !key.startsWith("skylight.io/"))),
      ...Object.fromEntries(Object.entries(current.annotations).filter(([key]) => key.startsWith("skylight.io/"))),
    };
    if (sameJson(labels, current.labels) && sameJson(annotations, current.annotations)) return { object: current, taskId: "" };
    const updated = await writeMetadata<NamespaceSpec, unknown>(tx, current, { labels, annotations });
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "Namespace.setMetadata", description: `Change labels and annotations of namespace ${input.name}`, target: updated, targetGeneration: updated.generation, initiator: actor.username },
      {
        reason: "Namespace.setMetadata",
        message: `${actor.username} changed the labels and annotations of namespace ${input.name}`,
        actor: actor.username,
        before: { labels: current.labels, annotations: current.annotations },
        after: { labels: updated.labels, annotations: updated.annotations },
      },
    );
    await enqueue(tx, objectKeyString(updated));
    return { object: updated, taskId };
  });
}

/** Marks the namespace deleted; its controller deletes its VMs and then the namespace. */
export async function deleteNamespace(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool: pg.Pool = getPool()) {
  assertCan(actor, "namespaces.manage");
  return withTransaction(pool, async (tx) => {
    const current = await getObject<NamespaceSpec, unknown>(tx, { kind: "Namespace", namespace: "", name: input.name }, { forUpdate: true });
    if (!current) throw new NotFoundError(`Namespace "${input.name}" does not exist.`);
    if (input.expectedResourceVersion !== undefined && input.expectedResourceVersion !== current.resourceVersion) {
      throw new ConflictError(current.kind, current.name, current.resourceVersion);
    }
    const annotated = await writeMetadata<NamespaceSpec, unknown>(tx, current, {
      annotations: { ...current.annotations, [DELETED_BY_ANNOTATION]: actor.username },
      finalizers: current.finalizers.includes(NAMESPACE_FINALIZER) ? current.finalizers : [...current.finalizers, NAMESPACE_FINALIZER],
    });
    const updated = await markDeleted<NamespaceSpec, unknown>(tx, annotated);
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "Namespace.delete", description: `Delete namespace ${input.name} and its VMs`, target: updated, targetGeneration: updated.generation, initiator: actor.username },
      { reason: "Namespace.delete", message: `${actor.username} deleted namespace ${input.name}`, actor: actor.username, before: { spec: current.spec } },
    );
    await enqueue(tx, objectKeyString(updated));
    return { object: updated, taskId };
  });
}
