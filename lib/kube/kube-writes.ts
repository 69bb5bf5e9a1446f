// create, update, patch and delete, each turned into the engine operation the console would call
// for the same intent, so validation, admission, tasks, events and conflicts are the same code.
// VMs take any change vm-operator allows; pods any change kube allows (lib/engine/pod-spec.ts:
// images, activeDeadlineSeconds, metadata); namespaces are created, changed and deleted by the
// console's namespace operations (lib/kube/namespace-writes.ts); a host's spec.maintenanceMode and
// spec.disconnected and a cluster's spec.drs and spec.ha are writable; ConfigMaps and Secrets are
// admitted by lib/engine/config-object-rules.ts, Leases by lease-operations.ts and ServiceAccounts by
// service-account-operations.ts; everything else is read-only.
import type pg from "pg";
import { sameJson } from "@/lib/engine/same-json";
import { configureDrs, configureHa } from "@/lib/engine/operations/cluster-operations";
import { connectHost, disconnectHost, enterMaintenanceMode, exitMaintenanceMode } from "@/lib/engine/operations/host-operations";
import { createPod, deletePod, updatePod } from "@/lib/engine/operations/pod-operations";
import { createConfigObject, deleteConfigObject, replaceConfigObject } from "@/lib/engine/operations/config-object-operations";
import { createCoordinationLease, deleteCoordinationLease, replaceCoordinationLease } from "@/lib/engine/operations/lease-operations";
import { createServiceAccount, deleteServiceAccount, replaceServiceAccount } from "@/lib/engine/operations/service-account-operations";
import { keepsStateAtTopLevel } from "@/lib/vocabulary/config-object-fields";
import { isConfigKind, type ConfigObjectInput } from "@/lib/engine/config-object-rules";
import { configFieldsOf, withStringDataMerged } from "@/lib/kube/config-object-shape";
import { createWorkload, deleteWorkload, updateWorkload } from "@/lib/engine/operations/workload-operations";
import type { WorkloadKind } from "@/lib/engine/workload-spec";
import type { ObjectReplacement, OperationResult } from "@/lib/engine/operations/write-object";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { updateVirtualMachine } from "@/lib/engine/operations/vm-update";
import { servedKind, type ApiResource } from "@/lib/kube/api-resources";
import { createCustomResource, deleteCustomResource, replaceCustomResource } from "@/lib/engine/operations/custom-resource-operations";
import { createCustomResourceDefinition, deleteCustomResourceDefinition, replaceCustomResourceDefinition } from "@/lib/engine/operations/custom-resource-definition-operations";
import type { CustomResourceKind } from "@/lib/inventory/kinds";
import { customResourceWrite, refuseStrategicMerge, servedAs, withStoredStatus } from "@/lib/kube/custom-resource-writes";
import { admitCustomResource, pruneUnknownFields } from "@/lib/kube/custom-resource-admission";
import { definitionWrite } from "@/lib/kube/custom-resource-definition-writes";
import { DEFINITION_CLEANUP_FINALIZER } from "@/lib/vocabulary/custom-resource-definition";
import { alreadyExists, badRequest, conflict, invalid, KubeApiError, methodNotAllowed, toKubeApiError, type StatusCause } from "@/lib/kube/api-status";
import { dryRunPool } from "@/lib/kube/dry-run";
import type { KubeActor } from "@/lib/kube/kube-access";
import { readKubeObject, toKubeObject, type KubeObject } from "@/lib/kube/kube-objects";
import { getObjectOrThrow, resourceRef } from "@/lib/kube/kube-reads";
import { createNamespaceObject, deleteNamespaceObject, updateNamespaceObject } from "@/lib/kube/namespace-writes";
import { listMapKeys } from "@/lib/kube/list-maps";
import { jsonPatch, mergePatch, PATCH_TYPES, strategicMergePatch, type Json, type PatchType } from "@/lib/kube/patches";
import { refuseOversizedObject } from "@/lib/kube/object-bounds";
import { readOwnersOf, recordApply, recordUpdate } from "@/lib/kube/field-owners";
import { planApply, requireFieldManager } from "@/lib/kube/server-side-apply";
import { checkFields, fieldValidationMode } from "@/lib/kube/field-validation";
import { clientManagedFields, writeClientManagedFields } from "@/lib/kube/client-managed-fields";
import { withManagedFields } from "@/lib/kube/managed-fields";
import { admitOwnerReferences } from "@/lib/kube/owner-reference-admission";
import type { OwnerReference } from "@/lib/engine/object-store";
import { assertFinalizersKept, DEPENDENTS_FINALIZER, NAMESPACE_FINALIZER, namespaceReference, POD_FINALIZER, VM_FINALIZER, type PropagationPolicy } from "@/lib/vocabulary/engine-owned-metadata";

/** The finalizer the engine puts on a new object of each kind; a client may repeat it but add no other. */
const ENGINE_FINALIZERS: Record<string, string> = { CustomResourceDefinition: DEFINITION_CLEANUP_FINALIZER, Namespace: NAMESPACE_FINALIZER, Pod: POD_FINALIZER, VirtualMachine: VM_FINALIZER, Deployment: DEPENDENTS_FINALIZER, ReplicaSet: DEPENDENTS_FINALIZER };

const isWorkload = (kind: string): kind is WorkloadKind => kind === "Deployment" || kind === "ReplicaSet";

export interface WriteContext {
  pool: pg.Pool;
  actor: KubeActor;
  resource: ApiResource;
  namespace?: string;
  dryRun: boolean;
  /** Who a create, update or patch is recorded under in managedFields; the console's writes are recorded under no one. */
  fieldManager?: string;
  /** The request's fieldValidation parameter (Strict, Warn or Ignore; absent: Warn), lib/kube/field-validation.ts. */
  fieldValidation: string | null;
  /** Where a write leaves its warnings (unknown fields in Warn mode) for the response's Warning headers. */
  warnings?: string[];
}

interface IncomingObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; generateName?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; ownerReferences?: unknown };
  spec?: Record<string, unknown>;
  /** A ConfigMap's or Secret's state is at the top level (lib/vocabulary/config-object-fields.ts). */
  [field: string]: unknown;
}

const apiVersionOf = (resource: ApiResource) => (resource.group ? `${resource.group}/${resource.version}` : resource.version);
const poolFor = (context: WriteContext) => (context.dryRun ? dryRunPool(context.pool) : context.pool);

function checkIdentity(context: WriteContext, body: IncomingObject, name: string | undefined): string {
  const { resource } = context;
  const causes: StatusCause[] = [];
  // The body is a client's JSON: a name that is an object (even one named "toString") is refused
  // here, before any message interpolates it.
  const notString = (["name", "generateName", "namespace"] as const).filter((field) => body.metadata?.[field] !== undefined && typeof body.metadata[field] !== "string");
  if (notString.length > 0) {
    throw invalid(resourceRef(resource, ""), notString.map((field) => ({ field: `metadata.${field}`, message: "Invalid value: must be a string", reason: "FieldValueInvalid" })));
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(resource)) causes.push({ field: "apiVersion", message: `must be ${apiVersionOf(resource)}` });
  if (body.kind !== undefined && body.kind !== servedKind(resource)) causes.push({ field: "kind", message: `must be ${servedKind(resource)}` });
  const objectName = body.metadata?.name ?? (body.metadata?.generateName ? `${body.metadata.generateName}${Math.random().toString(36).slice(2, 7)}` : undefined);
  if (!objectName) causes.push({ field: "metadata.name", message: "Required value: name or generateName is required", reason: "FieldValueRequired" });
  if (name !== undefined && objectName !== undefined && objectName !== name) {
    throw badRequest(`the name of the object (${objectName}) does not match the name on the URL (${name})`);
  }
  const namespace = body.metadata?.namespace;
  if (resource.namespaced && namespace !== undefined && context.namespace !== undefined && namespace !== context.namespace) {
    throw badRequest(`the namespace of the provided object does not match the namespace sent on the request`);
  }
  if (causes.length > 0) throw invalid(resourceRef(resource, objectName ?? ""), causes);
  return objectName!;
}

async function run<T>(context: WriteContext, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toKubeApiError(error, resourceRef(context.resource, name));
  }
}

/** The object as it is now, in the version the request names. */
async function readCurrent(context: WriteContext, name: string): Promise<KubeObject | null> {
  const object = await readKubeObject(context.pool, { kind: context.resource.kind, namespace: context.namespace ?? "", name });
  return object && servedAs(context.resource, object);
}

async function reread(context: WriteContext, name: string, fallback: () => KubeObject): Promise<KubeObject> {
  const written = fallback();
  if (context.dryRun) return written;
  const read = await readCurrent(context, name);
  // Another object by the same name (a deleted `default` service account already back) is not the one written:
  // kubectl delete waits for the uid it is answered with to go.
  return read?.metadata.uid === written.metadata.uid ? read : written;
}

/** Records the write's field manager as owner of what it set or changed; a dry run records nothing. */
async function recorded(context: WriteContext, before: KubeObject | undefined, after: KubeObject): Promise<KubeObject> {
  if (!context.dryRun && context.fieldManager) await recordUpdate(context.pool, context.resource.kind, after.metadata.uid, context.fieldManager, before, after);
  return after;
}

/** The kinds that keep a client's ownerReferences: those the garbage collector deletes through the engine (and custom kinds). */
const KINDS_WITH_OWNERS: readonly string[] = ["VirtualMachine", "Pod", "Deployment", "ReplicaSet", "ConfigMap", "Secret"];

/** The ownerReferences a write stores (lib/kube/owner-reference-admission.ts); `current`: what the object holds, [] on create. */
async function ownerReferencesFor(context: WriteContext, namespace: string, name: string, body: IncomingObject, current: OwnerReference[]): Promise<OwnerReference[]> {
  const references = await admitOwnerReferences(context, { namespace, name }, body.metadata?.ownerReferences, current);
  if (!KINDS_WITH_OWNERS.includes(context.resource.kind) && !context.resource.custom && !sameJson(references, current)) {
    throw invalid(resourceRef(context.resource, name), [{ field: "metadata.ownerReferences", message: `Forbidden: Skylight keeps no ownerReferences on ${context.resource.plural}` }]);
  }
  return references;
}

/** What the engine will give a new object itself, which a client may repeat (an exported VM created again): a VM's reference to its namespace. */
async function engineReferencesOnCreate(context: WriteContext, namespace: string, body: IncomingObject): Promise<OwnerReference[]> {
  if (context.resource.kind !== "VirtualMachine" || !Array.isArray(body.metadata?.ownerReferences) || body.metadata.ownerReferences.length === 0) return [];
  const owner = await readKubeObject(context.pool, { kind: "Namespace", namespace: "", name: namespace });
  return owner ? [namespaceReference(namespace, owner.metadata.uid)] : [];
}

async function create(context: WriteContext, body: IncomingObject): Promise<KubeObject> {
  const { resource } = context;
  if (!resource.verbs.includes("create")) throw methodNotAllowed(`${resource.plural} cannot be created through the API: Skylight adds them from the console`);
  const name = checkIdentity(context, body, undefined);
  const namespace = context.namespace ?? body.metadata?.namespace ?? "";
  if (await readKubeObject(context.pool, { kind: resource.kind, namespace, name })) throw alreadyExists(resourceRef(resource, name));
  if (!resource.custom) await run(context, name, async () => assertFinalizersKept(body.metadata?.finalizers, [ENGINE_FINALIZERS[resource.kind] ?? VM_FINALIZER], { partial: true }));
  const ownerReferences = await ownerReferencesFor(context, namespace, name, body, await engineReferencesOnCreate(context, namespace, body));
  if (resource.custom) {
    if (resource.custom.terminating) throw methodNotAllowed("create not allowed while custom resource definition is terminating");
    const write = customResourceWrite(resource, { namespace, name }, admitCustomResource(resource, name, withStoredStatus(resource, body)), ownerReferences);
    return toKubeObject((await run(context, name, () => createCustomResource(context.actor, write, poolFor(context)))).object);
  }
  if (resource.kind === "CustomResourceDefinition") {
    const write = definitionWrite(resource, name, body);
    return toKubeObject((await run(context, name, () => createCustomResourceDefinition(context.actor, write, poolFor(context)))).object);
  }
  if (resource.kind === "Namespace") return toKubeObject(await createNamespaceObject(context, name, body));
  if (resource.kind === "Pod") {
    const created = await run(context, name, () =>
      createPod(context.actor, { namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, ownerReferences, spec: body.spec }, poolFor(context)),
    );
    return toKubeObject(created.object);
  }
  if (resource.kind === "Lease") {
    const write = { namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, spec: body.spec };
    return toKubeObject(await run(context, name, () => createCoordinationLease(context.actor, write, poolFor(context))));
  }
  if (resource.kind === "ServiceAccount") {
    const write = { namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, fields: configFieldsOf(resource.kind, body) };
    return toKubeObject((await run(context, name, () => createServiceAccount(context.actor, write, poolFor(context)))).object);
  }
  if (isConfigKind(resource.kind)) {
    const write = { kind: resource.kind, namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, ownerReferences, fields: configFieldsOf(resource.kind, body) };
    return toKubeObject((await run(context, name, () => createConfigObject(context.actor, write, poolFor(context)))).object);
  }
  if (isWorkload(resource.kind)) {
    const kind = resource.kind;
    const created = await run(context, name, () =>
      createWorkload(context.actor, { kind, namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, ownerReferences, spec: body.spec }, poolFor(context)),
    );
    return toKubeObject(created.object);
  }
  const result = await run(context, name, () =>
    createVirtualMachine(context.actor, { namespace, name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, ownerReferences, spec: body.spec as never }, poolFor(context)),
  );
  return toKubeObject(result.object);
}

/** `object` without the fields its kind's schema does not declare; refuses wrong types, and unknown fields when Strict or applying. */
function checked<T extends IncomingObject>(context: WriteContext, object: T, name: string | undefined, options: { apply?: boolean } = {}): { object: T; warnings: string[] } {
  const mode = fieldValidationMode(context.fieldValidation);
  const check = context.resource.custom ? pruneUnknownFields : checkFields;
  return check(context.resource, object, { mode, name: name ?? object.metadata?.name ?? "", namespace: context.namespace, ...options });
}

export async function createObject(context: WriteContext, body: IncomingObject): Promise<KubeObject> {
  const { object, warnings } = checked(context, body, undefined);
  const created = await recorded(context, undefined, await create(context, object));
  context.warnings?.push(...warnings);
  return created;
}

function refuseMetadataChanges(context: WriteContext, current: KubeObject, next: IncomingObject, fields: ("labels" | "annotations")[]) {
  const causes: StatusCause[] = [];
  for (const field of fields) {
    if (next.metadata?.[field] !== undefined && !sameJson(next.metadata[field] ?? {}, current.metadata[field] ?? {})) {
      causes.push({ field: `metadata.${field}`, message: `Forbidden: Skylight manages the ${field} of ${context.resource.plural}` });
    }
  }
  if (causes.length > 0) throw invalid(resourceRef(context.resource, current.metadata.name), causes);
}

/** The kinds replaced as a whole by one engine operation (a pod's own rules, a workload's). */
const REPLACEMENTS: Partial<Record<string, (actor: KubeActor, input: ObjectReplacement, pool: pg.Pool) => Promise<OperationResult<unknown>>>> = {
  Pod: updatePod,
  Deployment: (actor, input, pool) => updateWorkload(actor, "Deployment", input, pool),
  ReplicaSet: (actor, input, pool) => updateWorkload(actor, "ReplicaSet", input, pool),
  ConfigMap: (actor, input, pool) => replaceConfigObject(actor, { ...input, kind: "ConfigMap", fields: input.spec as ConfigObjectInput }, pool),
  Secret: (actor, input, pool) => replaceConfigObject(actor, { ...input, kind: "Secret", fields: input.spec as ConfigObjectInput }, pool),
  ServiceAccount: (actor, input, pool) => replaceServiceAccount(actor, { ...input, fields: input.spec }, pool),
};

/** Replaces the object's writable state with `next`; `expectedResourceVersion` guards against lost updates. */
async function applyUpdate(context: WriteContext, current: KubeObject, next: IncomingObject, expectedResourceVersion: string | undefined): Promise<KubeObject> {
  const { resource, actor } = context;
  const name = current.metadata.name;
  if (!resource.verbs.includes("update")) throw methodNotAllowed(`${resource.plural} are read-only through the API`);
  if (expectedResourceVersion !== undefined && expectedResourceVersion !== current.metadata.resourceVersion) throw conflict(resourceRef(resource, name));
  if (!resource.custom) await run(context, name, async () => assertFinalizersKept(next.metadata?.finalizers, current.metadata.finalizers ?? []));
  const ownerReferences = await ownerReferencesFor(context, current.metadata.namespace ?? "", name, next, (current.metadata.ownerReferences ?? []) as OwnerReference[]);
  const pool = poolFor(context);
  const spec = (next.spec ?? {}) as Record<string, unknown>;
  const before = current.spec as Record<string, unknown>;
  const guard = expectedResourceVersion ?? current.metadata.resourceVersion;

  if (resource.custom) {
    const admitted = admitCustomResource(resource, name, withStoredStatus(resource, next, current), current as unknown as Record<string, unknown>);
    const write = customResourceWrite(resource, { namespace: current.metadata.namespace ?? "", name }, admitted, ownerReferences, guard);
    const result = await run(context, name, () => replaceCustomResource(actor, write, pool));
    return reread(context, name, () => servedAs(resource, toKubeObject(result.object)));
  }

  if (resource.kind === "CustomResourceDefinition") {
    const write = { ...definitionWrite(resource, name, next, current), expectedResourceVersion: guard };
    const result = await run(context, name, () => replaceCustomResourceDefinition(actor, write, pool));
    return reread(context, name, () => toKubeObject(result.object));
  }

  if (resource.kind === "VirtualMachine") {
    const result = await run(context, name, () =>
      updateVirtualMachine(actor, { namespace: current.metadata.namespace ?? "", name, labels: next.metadata?.labels ?? {}, annotations: next.metadata?.annotations ?? {}, spec, ownerReferences, expectedResourceVersion: guard }, pool),
    );
    return reread(context, name, () => ({ ...current, metadata: { ...current.metadata, labels: result.object.labels, annotations: result.object.annotations }, spec: result.object.spec as Record<string, unknown> }));
  }

  if (resource.kind === "Lease") {
    const write = { namespace: current.metadata.namespace ?? "", name, labels: next.metadata?.labels ?? {}, annotations: next.metadata?.annotations ?? {}, spec: next.spec, expectedResourceVersion: guard };
    const lease = await run(context, name, () => replaceCoordinationLease(actor, write, pool));
    return reread(context, name, () => toKubeObject(lease));
  }

  const replace = REPLACEMENTS[resource.kind];
  if (replace) {
    const result = await run(context, name, () =>
      replace(actor, { namespace: current.metadata.namespace ?? "", name, labels: next.metadata?.labels ?? {}, annotations: next.metadata?.annotations ?? {}, spec: keepsStateAtTopLevel(resource.kind) ? configFieldsOf(resource.kind, next) : next.spec, ownerReferences, expectedResourceVersion: guard }, pool),
    );
    if (keepsStateAtTopLevel(resource.kind)) return reread(context, name, () => toKubeObject(result.object));
    return reread(context, name, () => ({ ...current, metadata: { ...current.metadata, labels: result.object.labels, annotations: result.object.annotations }, spec: result.object.spec as Record<string, unknown> }));
  }

  if (resource.kind === "Namespace") {
    await updateNamespaceObject(context, current, next, guard);
    return reread(context, name, () => ({ ...current, metadata: { ...current.metadata, labels: next.metadata?.labels, annotations: next.metadata?.annotations }, spec: { ...before, ...spec } }));
  }

  refuseMetadataChanges(context, current, next, ["labels", "annotations"]);
  const writable = resource.kind === "Host" ? ["maintenanceMode", "disconnected"] : ["drs", "ha"];
  const causes = Object.keys({ ...before, ...spec })
    .filter((key) => !writable.includes(key) && !sameJson(before[key], spec[key]))
    .map((key) => ({ field: `spec.${key}`, message: `Forbidden: only spec.${writable.join(" and spec.")} can be changed through the API` }));
  if (causes.length > 0) throw invalid(resourceRef(resource, name), causes);

  let version: string | undefined = guard;
  const step = async (change: () => Promise<{ object: { resourceVersion: string } }>) => {
    const result = await run(context, name, change);
    version = result.object.resourceVersion;
  };
  if (resource.kind === "Host") {
    if (!sameJson(before.maintenanceMode, spec.maintenanceMode)) {
      await step(() => (spec.maintenanceMode ? enterMaintenanceMode : exitMaintenanceMode)(actor, { name, expectedResourceVersion: version }, pool));
    }
    if (!sameJson(before.disconnected ?? false, spec.disconnected ?? false)) {
      await step(() => (spec.disconnected ? disconnectHost : connectHost)(actor, { name, expectedResourceVersion: version }, pool));
    }
  } else {
    if (!sameJson(before.drs, spec.drs)) await step(() => configureDrs(actor, { name, drs: spec.drs as never, expectedResourceVersion: version }, pool));
    if (!sameJson(before.ha, spec.ha)) await step(() => configureHa(actor, { name, ha: spec.ha as never, expectedResourceVersion: version }, pool));
  }
  return reread(context, name, () => ({ ...current, spec }));
}

export async function updateObject(context: WriteContext, name: string, body: IncomingObject): Promise<KubeObject> {
  checkIdentity(context, body, name);
  const { object, warnings } = checked(context, body, name);
  const current = await getObjectOrThrow(context.pool, context.resource, context.namespace, name);
  const updated = await recorded(context, current, await applyUpdate(context, current, object, object.metadata?.resourceVersion || undefined));
  context.warnings?.push(...warnings);
  return updated;
}

function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith("$")).map(([key, item]) => [key, withoutDirectives(item)]));
}

/** How many times a patch or apply reads again after a Conflict: enough for a dozen clients patching one object at once (an operator's status writes, kubectl label). */
const MAX_PATCH_ATTEMPTS = 12;

/**
 * Whether a patch or apply read again and applied again after `error`: only on a Conflict, only
 * when the client named no resourceVersion (a guard it asked for), and MAX_PATCH_ATTEMPTS times at most.
 */
export function mayRetryAfter(error: unknown, namedVersion: string | undefined, attempt: number): boolean {
  return error instanceof KubeApiError && error.reason === "Conflict" && !namedVersion && attempt < MAX_PATCH_ATTEMPTS;
}

async function serverSideApply(context: WriteContext, name: string, applied: IncomingObject, options: ApplyOptions): Promise<{ object: KubeObject; created: boolean }> {
  const manager = requireFieldManager(context.resource, name, options.fieldManager);
  const body = withStringDataMerged(context.resource.kind, applied);
  checkIdentity(context, body, name);
  checked(context, body, name, { apply: true });
  // An apply that names no resourceVersion applies to whatever is current: when a controller
  // writes the object between our read and our write, read again and apply again, as for a patch.
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(context, name);
    if (!current) {
      const created = await create(context, body);
      if (!context.dryRun) await recordApply(context.pool, context.resource.kind, created.metadata.uid, manager, body, new Map());
      return { object: created, created: true };
    }
    await run(context, name, async () => assertFinalizersKept(body.metadata?.finalizers, current.metadata.finalizers ?? [], { partial: true }));
    const plan = planApply(context.resource, current, manager, body, await readOwnersOf(context.pool, current.metadata.uid), options.force);
    refuseOversizedObject(plan.next, "the applied object", context.resource);
    // ownerReferences an apply names are the object's whole list (not merged by field manager); unnamed, they stay.
    const ownerReferences = body.metadata?.ownerReferences ?? current.metadata.ownerReferences;
    const next: IncomingObject = { ...plan.next, metadata: { ...current.metadata, ...plan.next.metadata, ownerReferences } };
    const namedVersion = body.metadata?.resourceVersion || undefined;
    try {
      const object = await applyUpdate(context, current, next, namedVersion ?? current.metadata.resourceVersion);
      if (!context.dryRun) await recordApply(context.pool, context.resource.kind, current.metadata.uid, manager, body, plan.takenOver);
      return { object, created: false };
    } catch (error) {
      if (!mayRetryAfter(error, namedVersion, attempt)) throw error;
    }
  }
}

export interface ApplyOptions {
  fieldManager: string | null;
  force: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** `patch` is the parsed body (lib/kube/request-body.ts), of the patch type its Content-Type named. */
export async function patchObject(context: WriteContext, name: string, type: PatchType, patch: unknown, apply: ApplyOptions): Promise<{ object: KubeObject; created: boolean }> {
  if (type !== PATCH_TYPES.json && !isObject(patch)) throw badRequest("the server rejected our request due to an error in our request: the patch must be a JSON object");
  refuseStrategicMerge(context.resource, type);
  if (type === PATCH_TYPES.apply) {
    refuseOversizedObject(patch, "the apply configuration", context.resource);
    return serverSideApply(context, name, withoutDirectives(patch) as IncomingObject, apply);
  }
  // A patch that names no resourceVersion applies to whatever is current: on a concurrent
  // change, read again and re-apply, as kube-apiserver does.
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(context, name);
    if (!current) return { object: await getObjectOrThrow(context.pool, context.resource, context.namespace, name), created: false };
    // A JSON patch may address metadata.managedFields (kubectl's client-side to server-side apply migration replaces them).
    const base = structuredClone(type === PATCH_TYPES.json ? (await withManagedFields(context.pool, context.resource, [current]))[0]! : current) as unknown as Json;
    const patched = (
      type === PATCH_TYPES.json
        ? jsonPatch(base, patch)
        : type === PATCH_TYPES.strategic
          ? strategicMergePatch(base, patch as Json, (path) => listMapKeys(context.resource.kind, path))
          : mergePatch(base, withoutDirectives(patch) as Json)
    ) as IncomingObject;
    const misshapen = !isObject(patched) ? "the patched object" : (["metadata", "spec"] as const).find((field) => patched[field] !== undefined && !isObject(patched[field]));
    if (misshapen) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${misshapen} must be a JSON object`);
    refuseOversizedObject(patched, "the patched object", context.resource);
    const { object: next, warnings } = checked(context, patched, name);
    // A JSON patch names a version by replacing metadata.resourceVersion (kubectl's migration does, to be refused on a concurrent change).
    const replacedVersion = type === PATCH_TYPES.json && next.metadata?.resourceVersion !== current.metadata.resourceVersion ? next.metadata?.resourceVersion : undefined;
    const namedVersion = (patch as IncomingObject | null)?.metadata?.resourceVersion ?? replacedVersion;
    try {
      const owners = clientManagedFields(context.resource, next, base as unknown as KubeObject);
      const updated = await applyUpdate(context, current, next, namedVersion ?? current.metadata.resourceVersion);
      if (owners && !context.dryRun) await writeClientManagedFields(context.pool, context.resource.kind, updated, owners);
      const object = await recorded(context, current, updated);
      context.warnings?.push(...warnings);
      return { object, created: false };
    } catch (error) {
      if (!mayRetryAfter(error, namedVersion, attempt)) throw error;
    }
  }
}

export async function deleteObject(context: WriteContext, name: string, options: { preconditionResourceVersion?: string; propagationPolicy?: string; gracePeriodSeconds?: unknown }): Promise<KubeObject> {
  const { resource } = context;
  if (!resource.verbs.includes("delete")) throw methodNotAllowed(`${resource.plural} cannot be deleted through the API`);
  if (options.propagationPolicy && !["Orphan", "Background", "Foreground"].includes(options.propagationPolicy)) {
    throw invalid(resourceRef(resource, name), [{ field: "propagationPolicy", message: `Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`, reason: "FieldValueNotSupported" }]);
  }
  const grace = options.gracePeriodSeconds;
  const gracePeriodSeconds = grace === undefined || grace === null ? undefined : Number(grace);
  if (gracePeriodSeconds !== undefined && (typeof grace === "boolean" || !Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) {
    throw invalid(resourceRef(resource, name), [{ field: "gracePeriodSeconds", message: `Invalid value: ${JSON.stringify(grace)}: must be a whole number of seconds, 0 or more`, reason: "FieldValueInvalid" }]);
  }
  const current = await getObjectOrThrow(context.pool, resource, context.namespace, name);
  if (options.preconditionResourceVersion && options.preconditionResourceVersion !== current.metadata.resourceVersion) {
    throw conflict(resourceRef(resource, name), `the ResourceVersion in the precondition (${options.preconditionResourceVersion}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`);
  }
  if (current.metadata.deletionTimestamp) return current;
  // A namespace's VMs go with it whatever the policy, as a Kubernetes namespace's contents do.
  if (resource.kind === "Namespace") await deleteNamespaceObject(context, current);
  else {
    // As kube-apiserver: only a precondition the client sent guards a delete, not a status a controller wrote since the read.
    const input = { namespace: context.namespace ?? "", name, expectedResourceVersion: options.preconditionResourceVersion, propagationPolicy: options.propagationPolicy as PropagationPolicy | undefined };
    await run(context, name, async () => {
      if (resource.custom) await deleteCustomResource(context.actor, { ...input, kind: resource.kind as CustomResourceKind }, poolFor(context));
      else if (resource.kind === "CustomResourceDefinition") await deleteCustomResourceDefinition(context.actor, input, poolFor(context));
      else if (resource.kind === "Pod") await deletePod(context.actor, { ...input, gracePeriodSeconds }, poolFor(context));
      else if (isConfigKind(resource.kind)) await deleteConfigObject(context.actor, { ...input, kind: resource.kind }, poolFor(context));
      else if (resource.kind === "Lease") await deleteCoordinationLease(context.actor, input, poolFor(context));
      else if (resource.kind === "ServiceAccount") await deleteServiceAccount(context.actor, input, poolFor(context));
      else if (isWorkload(resource.kind)) await deleteWorkload(context.actor, { ...input, kind: resource.kind }, poolFor(context));
      else await deleteVirtualMachine(context.actor, input, poolFor(context));
    });
  }
  return reread(context, name, () => ({ ...current, metadata: { ...current.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") } }));
}
