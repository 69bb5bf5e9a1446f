// The scale subresource of Deployments and ReplicaSets (…/deployments/<name>/scale), and of custom
// resources whose definition declares one, as kube-apiserver serves it: an autoscaling/v1 Scale
// with spec.replicas and status.replicas and selector (for a custom resource, read at the
// definition's specReplicasPath, statusReplicasPath and labelSelectorPath). GET reads it; PUT and
// PATCH (JSON, merge or strategic merge, which kubectl scale sends) change spec.replicas alone:
// a workload's through scaleWorkload, so the task reads "Scale deployment web to 5"; a custom
// resource's as an update of the object at that path, held to its schema.
import { scaleWorkload } from "@/lib/engine/operations/workload-operations";
import { selectorString, type LabelSelector, type WorkloadKind } from "@/lib/engine/workload-spec";
import { badRequest, invalid, methodNotAllowed, toKubeApiError } from "@/lib/kube/api-status";
import type { ApiResource, Verb } from "@/lib/kube/api-resources";
import { dryRunPool } from "@/lib/kube/dry-run";
import { getObjectOrThrow, resourceRef } from "@/lib/kube/kube-reads";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { updateObject, type WriteContext } from "@/lib/kube/kube-writes";
import { jsonPatch, mergePatch, PATCH_TYPES, type Json, type PatchType } from "@/lib/kube/patches";

export interface Scale {
  kind: "Scale";
  apiVersion: "autoscaling/v1";
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; creationTimestamp: string };
  spec: { replicas: number };
  status: { replicas: number; selector: string };
}

/** `.spec.replicas` as the keys it walks. */
const pathKeys = (jsonPath: string) => jsonPath.replace(/^\./, "").split(".");

function readAt(object: unknown, jsonPath: string): unknown {
  return pathKeys(jsonPath).reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), object);
}

/** `object` with `value` at `jsonPath`, the objects on the way made where missing. */
function writtenAt(object: KubeObject, jsonPath: string, value: unknown): KubeObject {
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  const keys = pathKeys(jsonPath);
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
  return copy as unknown as KubeObject;
}

/** The object's Scale: its desired replicas, the pods it has, and its selector as a string. */
export function scaleOf(resource: ApiResource, object: KubeObject): Scale {
  const spec = object.spec as { replicas?: number; selector?: LabelSelector };
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  const paths = resource.custom?.scale;
  const number = (value: unknown) => (typeof value === "number" ? value : 0);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: paths ? number(readAt(object, paths.specReplicasPath)) : (spec.replicas ?? 0) },
    status: paths
      ? { replicas: number(readAt(object, paths.statusReplicasPath)), selector: paths.labelSelectorPath ? String(readAt(object, paths.labelSelectorPath) ?? "") : "" }
      : { replicas: (object.status as { replicas?: number }).replicas ?? 0, selector: selectorString(spec.selector ?? {}) },
  };
}

/** The replicas a Scale body asks for, refused by field unless a whole number. */
function requestedReplicas(context: WriteContext, name: string, body: unknown): number {
  const replicas = (body as { spec?: { replicas?: unknown } } | null)?.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas)) {
    throw invalid(resourceRef(context.resource, name), [{ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be an integer` }]);
  }
  return replicas;
}

/** GET, PUT or PATCH of …/<name>/scale; `body` is the parsed request body of a write. */
export async function serveScale(context: WriteContext, verb: Verb, name: string, write?: { body: unknown; patchType?: PatchType }): Promise<Scale> {
  const object = await getObjectOrThrow(context.pool, context.resource, context.namespace, name);
  const current = scaleOf(context.resource, object);
  if (verb === "get") return current;
  if (verb !== "update" && verb !== "patch") throw methodNotAllowed(`${context.resource.plural}/scale can be read, replaced and patched`);
  let next: unknown = write?.body;
  let expectedResourceVersion: string | undefined;
  if (verb === "patch") {
    const type = write?.patchType;
    if (type === PATCH_TYPES.apply) throw badRequest("server-side apply to a scale subresource is not supported: send a merge patch (kubectl scale does)");
    // A Scale has no lists, so a strategic merge patch merges as a JSON merge patch does.
    next = type === PATCH_TYPES.json ? jsonPatch(current as unknown as Json, write?.body) : mergePatch(current as unknown as Json, write?.body as Json);
  } else {
    const named = (next as { metadata?: { name?: unknown; resourceVersion?: unknown } } | null)?.metadata;
    if (named?.name !== undefined && named.name !== name) throw badRequest(`the name of the object (${String(named.name)}) does not match the name on the URL (${name})`);
    expectedResourceVersion = typeof named?.resourceVersion === "string" && named.resourceVersion ? named.resourceVersion : undefined;
  }
  const replicas = requestedReplicas(context, name, next);
  const paths = context.resource.custom?.scale;
  if (paths) {
    const guarded = writtenAt(writtenAt(object, paths.specReplicasPath, replicas), ".metadata.resourceVersion", expectedResourceVersion ?? object.metadata.resourceVersion);
    return scaleOf(context.resource, await updateObject(context, name, guarded));
  }
  try {
    const result = await scaleWorkload(
      context.actor,
      { kind: context.resource.kind as WorkloadKind, namespace: context.namespace ?? "", name, replicas, expectedResourceVersion },
      context.dryRun ? dryRunPool(context.pool) : context.pool,
    );
    return { ...current, metadata: { ...current.metadata, resourceVersion: result.object.resourceVersion }, spec: { replicas } };
  } catch (error) {
    throw toKubeApiError(error, resourceRef(context.resource, name));
  }
}
