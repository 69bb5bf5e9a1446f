// Namespaces through the Kubernetes API, each write turned into the console's namespace operation
// (lib/engine/operations/namespace-operations.ts), so who may do what is decided there: an
// administrator creates a namespace on any cluster with any limits, allowances and permissions;
// anyone else creates one through a cluster's self-service template, with limits within it and
// themselves as owner. The cluster is spec.cluster or the skylight.io/cluster label, or else the
// one cluster whose template the user may use. Deleting marks the namespace Terminating; its
// controller deletes its VMs (a task each) and then the namespace.
import { authorizeSelfService, can } from "@/lib/auth/authorize";
import type { StoredObject } from "@/lib/engine/object-store";
import { sameJson } from "@/lib/engine/same-json";
import {
  createNamespace,
  deleteNamespace,
  selfServiceNamespace,
  setNamespaceMetadata,
  setNamespacePermissions,
  updateNamespace,
} from "@/lib/engine/operations/namespace-operations";
import { readSelfServiceTemplates } from "@/lib/engine/self-service-template";
import type { NamespacePermission } from "@/lib/engine/schemas";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { forbidden, invalid, toKubeApiError, type StatusCause } from "@/lib/kube/api-status";
import { dryRunPool } from "@/lib/kube/dry-run";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { WriteContext } from "@/lib/kube/kube-writes";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

interface NamespaceManifest {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

const ALLOWANCE_FIELDS = ["limits", "vmClasses", "images", "storageClasses"] as const;
const SPEC_FIELDS: readonly string[] = ["cluster", ...ALLOWANCE_FIELDS, "permissions"];
const SELF_SERVICE_FIELDS: readonly string[] = ["cluster", "limits"];

const poolFor = (context: WriteContext) => (context.dryRun ? dryRunPool(context.pool) : context.pool);

/** The engine names fields as the console's form does; the API names them as they sit in the manifest. */
function manifestField(field: string): string {
  if (field === "name") return "metadata.name";
  if (field === "labels" || field === "annotations") return `metadata.${field}`;
  return SPEC_FIELDS.includes(field.split(".")[0]!) ? `spec.${field}` : field;
}

async function run<T>(context: WriteContext, verb: string, name: string, work: () => Promise<T>): Promise<T> {
  const ref = resourceRef(context.resource, name);
  try {
    return await work();
  } catch (error) {
    if (error instanceof ForbiddenError) throw forbidden(context.actor.username, verb, ref, undefined, error.message);
    if (error instanceof InvalidInputError) throw invalid(ref, [{ field: manifestField(error.field), message: error.message }]);
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (Array.isArray(issues)) throw invalid(ref, issues.map((issue) => ({ field: manifestField(issue.path.map(String).join(".")), message: issue.message })));
    throw toKubeApiError(error, ref);
  }
}

async function clusterFor(context: WriteContext, name: string, manifest: NamespaceManifest): Promise<string> {
  const fromSpec = manifest.spec?.cluster as string | undefined;
  const fromLabel = manifest.metadata?.labels?.[CLUSTER_LABEL];
  const field = `metadata.labels[${CLUSTER_LABEL}]`;
  if (fromSpec !== undefined && fromLabel !== undefined && fromSpec !== fromLabel) {
    throw invalid(resourceRef(context.resource, name), [{ field, message: `Invalid value: "${fromLabel}": must name the same cluster as spec.cluster ("${fromSpec}")` }]);
  }
  const named = fromSpec ?? fromLabel;
  if (named) return named;
  const usable: string[] = [];
  for (const template of await readSelfServiceTemplates(context.pool)) {
    const allowed = await authorizeSelfService(context.actor, template, context.pool).then(() => true, (error: unknown) => {
      if (error instanceof ForbiddenError) return false;
      throw error;
    });
    if (allowed) usable.push(template.cluster);
  }
  if (usable.length === 1) return usable[0]!;
  // An administrator may use any cluster: name them all when no template narrows the choice.
  const clusters = usable.length || !can(context.actor, "namespaces.manage")
    ? usable
    : (await context.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Cluster' AND namespace = '' ORDER BY name`)).rows.map((row) => row.name);
  const choice = clusters.length ? `: one of ${clusters.join(", ")}` : "";
  throw invalid(resourceRef(context.resource, name), [{ field, reason: "FieldValueRequired", message: `Required value: name the cluster the namespace runs on${choice}` }]);
}

export async function createNamespaceObject(context: WriteContext, name: string, manifest: NamespaceManifest): Promise<StoredObject> {
  const { actor } = context;
  const cluster = await clusterFor(context, name, manifest);
  const spec = manifest.spec ?? {};
  // The cluster label, when given, names the cluster; the engine checks it is the one it writes.
  const metadata = { labels: manifest.metadata?.labels ?? {}, annotations: manifest.metadata?.annotations ?? {} };
  if (can(actor, "namespaces.manage")) {
    const input = { name, cluster, ...metadata, ...Object.fromEntries(SPEC_FIELDS.filter((field) => field !== "cluster" && spec[field] !== undefined).map((field) => [field, spec[field]])) };
    const result = await run(context, "create", name, () => createNamespace(actor, input as Parameters<typeof createNamespace>[1], poolFor(context)));
    return result.object;
  }
  const chosenByTemplate: StatusCause[] = Object.keys(spec)
    .filter((field) => !SELF_SERVICE_FIELDS.includes(field))
    .map((field) => ({ field: `spec.${field}`, reason: "FieldValueForbidden", message: `Forbidden: set by the self-service template of cluster ${cluster}; only an administrator chooses it` }));
  if (chosenByTemplate.length > 0) throw invalid(resourceRef(context.resource, name), chosenByTemplate);
  const result = await run(context, "create", name, () =>
    selfServiceNamespace(actor, { name, cluster, limits: spec.limits as Parameters<typeof selfServiceNamespace>[1]["limits"], ...metadata }, poolFor(context)),
  );
  return result.object;
}

/** Applies what changed between `current` and `next`: allowances, permissions, labels and annotations, each by its operation. */
export async function updateNamespaceObject(context: WriteContext, current: KubeObject, next: NamespaceManifest, expectedResourceVersion: string): Promise<void> {
  const { actor } = context;
  const name = current.metadata.name;
  const before = current.spec as Record<string, unknown>;
  const spec: Record<string, unknown> = { cluster: before.cluster, ...(next.spec ?? {}) };
  const causes: StatusCause[] = [];
  if (spec.cluster !== before.cluster) causes.push({ field: "spec.cluster", message: `Invalid value: "${String(spec.cluster)}": field is immutable: a namespace stays on the cluster it was created on` });
  for (const field of Object.keys({ ...before, ...spec })) {
    if (!SPEC_FIELDS.includes(field) && !sameJson(before[field], spec[field])) {
      causes.push({ field: `spec.${field}`, reason: "FieldValueForbidden", message: `Forbidden: a namespace's spec has only ${SPEC_FIELDS.join(", ")}` });
    }
  }
  if (causes.length > 0) throw invalid(resourceRef(context.resource, name), causes);

  const pool = poolFor(context);
  let version = expectedResourceVersion;
  const step = async (change: () => Promise<{ object: { resourceVersion: string } }>) => {
    version = (await run(context, "update", name, change)).object.resourceVersion;
  };
  if (ALLOWANCE_FIELDS.some((field) => !sameJson(before[field] ?? (field === "limits" ? {} : undefined), spec[field] ?? (field === "limits" ? {} : undefined)))) {
    const allowances = Object.fromEntries(ALLOWANCE_FIELDS.filter((field) => spec[field] !== undefined).map((field) => [field, spec[field]]));
    await step(() => updateNamespace(actor, { name, ...allowances, expectedResourceVersion: version }, pool));
  }
  if (!sameJson(before.permissions ?? [], spec.permissions ?? [])) {
    await step(() => setNamespacePermissions(actor, { name, permissions: (spec.permissions ?? []) as NamespacePermission[], expectedResourceVersion: version }, pool));
  }
  const labels = next.metadata?.labels ?? {};
  const annotations = next.metadata?.annotations ?? {};
  if (!sameJson(labels, current.metadata.labels ?? {}) || !sameJson(annotations, current.metadata.annotations ?? {})) {
    await step(() => setNamespaceMetadata(actor, { name, labels, annotations, expectedResourceVersion: version }, pool));
  }
}

export async function deleteNamespaceObject(context: WriteContext, current: KubeObject): Promise<void> {
  const name = current.metadata.name;
  await run(context, "delete", name, () => deleteNamespace(context.actor, { name, expectedResourceVersion: current.metadata.resourceVersion }, poolFor(context)));
}
