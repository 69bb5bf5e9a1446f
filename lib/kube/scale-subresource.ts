// The scale subresource of Deployments and ReplicaSets (…/deployments/<name>/scale), as
// kube-apiserver serves it: an autoscaling/v1 Scale with spec.replicas and status.replicas and
// selector. GET reads it; PUT and PATCH (JSON, merge or strategic merge, which kubectl scale sends)
// change spec.replicas alone through scaleWorkload, so the task reads "Scale deployment web to 5".
import { scaleWorkload } from "@/lib/engine/operations/workload-operations";
import { selectorString, type LabelSelector, type WorkloadKind } from "@/lib/engine/workload-spec";
import { badRequest, invalid, methodNotAllowed, toKubeApiError } from "@/lib/kube/api-status";
import type { Verb } from "@/lib/kube/api-resources";
import { dryRunPool } from "@/lib/kube/dry-run";
import { getObjectOrThrow, resourceRef } from "@/lib/kube/kube-reads";
import type { KubeObject } from "@/lib/kube/kube-objects";
import type { WriteContext } from "@/lib/kube/kube-writes";
import { jsonPatch, mergePatch, PATCH_TYPES, type Json, type PatchType } from "@/lib/kube/patches";

export interface Scale {
  kind: "Scale";
  apiVersion: "autoscaling/v1";
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; creationTimestamp: string };
  spec: { replicas: number };
  status: { replicas: number; selector: string };
}

/** The object's Scale: its desired replicas, the pods it has, and its selector as a string. */
export function scaleOf(object: KubeObject): Scale {
  const spec = object.spec as { replicas?: number; selector?: LabelSelector };
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: (object.status as { replicas?: number }).replicas ?? 0, selector: selectorString(spec.selector ?? {}) },
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
  const current = scaleOf(await getObjectOrThrow(context.pool, context.resource, context.namespace, name));
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
