// The status subresource of a custom resource whose definition declares one (…/<name>/status),
// as kube-apiserver serves it: PUT and PATCH (JSON or merge; apply as a merge of the applied
// status) change status alone, whatever else the body holds, guarded by resourceVersion like any
// write (a patch naming none applies to whatever is current); the operator that owns the kind
// writes it, so it is the client's, not Skylight's.
import { replaceCustomResourceStatus } from "@/lib/engine/operations/custom-resource-operations";
import type { CustomResourceKind } from "@/lib/inventory/kinds";
import { badRequest, conflict, toKubeApiError } from "@/lib/kube/api-status";
import type { Verb } from "@/lib/kube/api-resources";
import { admitCustomResource } from "@/lib/kube/custom-resource-admission";
import { refuseStrategicMerge, servedAs, statusOf } from "@/lib/kube/custom-resource-writes";
import { dryRunPool } from "@/lib/kube/dry-run";
import { getObjectOrThrow, resourceRef } from "@/lib/kube/kube-reads";
import { toKubeObject, type KubeObject } from "@/lib/kube/kube-objects";
import { mayRetryAfter, type WriteContext } from "@/lib/kube/kube-writes";
import { refuseOversizedObject } from "@/lib/kube/object-bounds";
import { jsonPatch, mergePatch, PATCH_TYPES, type Json, type PatchType } from "@/lib/kube/patches";

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The status `body` asks for: a replace's, or what a patch makes of the current object's. */
function requestedStatus(current: KubeObject, verb: Verb, name: string, body: unknown, patchType: PatchType | undefined): { status: Record<string, unknown>; namedVersion?: string } {
  const next = verb === "patch" ? (patchType === PATCH_TYPES.json ? jsonPatch(current as unknown as Json, body) : mergePatch(current as unknown as Json, body as Json)) : body;
  if (!isRecord(next)) throw badRequest("the request body must be a JSON object");
  refuseOversizedObject(next, "the object");
  const named = isRecord(next.metadata) ? next.metadata : {};
  if (named.name !== undefined && named.name !== name) throw badRequest(`the name of the object (${String(named.name)}) does not match the name on the URL (${name})`);
  const namedVersion = verb === "update" && typeof named.resourceVersion === "string" && named.resourceVersion ? named.resourceVersion : undefined;
  return { status: statusOf(next), namedVersion };
}

/** PUT or PATCH of …/<name>/status; `body` is the parsed request body. A patch naming no resourceVersion applies to whatever is current. */
export async function writeCustomResourceStatus(context: WriteContext, verb: Verb, name: string, body: unknown, patchType?: PatchType): Promise<KubeObject> {
  const { resource } = context;
  if (patchType) refuseStrategicMerge(resource, patchType);
  for (let attempt = 0; ; attempt++) {
    const current = await getObjectOrThrow(context.pool, resource, context.namespace, name);
    const { status, namedVersion } = requestedStatus(current, verb, name, body, patchType);
    if (namedVersion && namedVersion !== current.metadata.resourceVersion) throw conflict(resourceRef(resource, name));
    // Everything but status stays as stored: what is validated is the stored object with the new status.
    const admitted = admitCustomResource(resource, name, { ...(current as unknown as Record<string, unknown>), status }, current as unknown as Record<string, unknown>);
    try {
      const result = await replaceCustomResourceStatus(
        context.actor,
        { kind: resource.kind as CustomResourceKind, namespace: context.namespace ?? "", name, status: statusOf(admitted), expectedResourceVersion: namedVersion ?? current.metadata.resourceVersion },
        context.dryRun ? dryRunPool(context.pool) : context.pool,
      );
      return servedAs(resource, toKubeObject(result.object));
    } catch (error) {
      const refusal = toKubeApiError(error, resourceRef(resource, name));
      if (!mayRetryAfter(refusal, namedVersion, attempt)) throw refusal;
    }
  }
}
