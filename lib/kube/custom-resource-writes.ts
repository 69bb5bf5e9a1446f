// What a write of a custom resource through the API hands to the engine
// (lib/engine/operations/custom-resource-operations.ts), and how a stored one is served: the
// object split into its content (every top-level field but apiVersion, kind, metadata and status)
// and its status; with a status subresource, the main resource ignores status and /status
// ignores everything else, as kube-apiserver does. Objects are stored in the version they were
// written in and served in the version asked for: the definitions' conversion is None, so only
// apiVersion changes.
import type { OwnerReference } from "@/lib/engine/object-store";
import type { CustomResourceContent, CustomResourceWrite } from "@/lib/engine/operations/custom-resource-operations";
import { groupVersionOf, type ApiResource } from "@/lib/kube/api-resources";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { withDefaults } from "@/lib/kube/custom-resource-admission";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { PATCH_TYPES, type PatchType } from "@/lib/kube/patches";
import type { CustomResourceKind } from "@/lib/inventory/kinds";

interface IncomingCustomResource {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: unknown };
  status?: unknown;
  [field: string]: unknown;
}

const IDENTITY = new Set(["apiVersion", "kind", "metadata", "status"]);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** A stored object as served through `resource`'s version: a custom resource in that version, with its schema's defaults. */
export function servedAs(resource: ApiResource, object: KubeObject): KubeObject {
  return resource.custom ? withDefaults(resource, { ...object, apiVersion: groupVersionOf(resource) }) : object;
}

/** kube refuses a strategic merge patch of a custom resource: it has no patch strategies to merge by. */
export function refuseStrategicMerge(resource: ApiResource, type: PatchType): void {
  if (resource.custom && type === PATCH_TYPES.strategic) {
    throw new KubeApiError(
      415,
      "UnsupportedMediaType",
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
  }
}

/**
 * What a write to the main resource asks to store: with a status subresource, the status it sent
 * gives way to the stored one (none on a create), as kube-apiserver's strategy resets it.
 */
export function withStoredStatus<T extends IncomingCustomResource>(resource: ApiResource, body: T, current?: KubeObject): T {
  if (!resource.hasStatus) return body;
  const { status: _sent, ...rest } = body;
  const stored = (current as IncomingCustomResource | undefined)?.status;
  return (stored === undefined ? rest : { ...rest, status: stored }) as T;
}

/** The object's status as a write may give it: an object, or none. */
export function statusOf(body: IncomingCustomResource): Record<string, unknown> {
  if (body.status === undefined || body.status === null) return {};
  if (!isRecord(body.status)) throw badRequest("status must be a JSON object");
  return body.status;
}

/**
 * The engine's write of `body` (already checked against the schema) as `resource`'s object `name`.
 * Without a status subresource, status is content like any other field; with one, a create stores
 * none and a replace keeps what is there.
 */
export function customResourceWrite(
  resource: ApiResource,
  key: { namespace: string; name: string },
  body: IncomingCustomResource,
  ownerReferences: OwnerReference[],
  expectedResourceVersion?: string,
): CustomResourceWrite {
  const content: CustomResourceContent = Object.fromEntries(Object.entries(body).filter(([field]) => !IDENTITY.has(field)));
  if (!resource.hasStatus && body.status !== undefined && body.status !== null) content.status = statusOf(body);
  return {
    kind: resource.kind as CustomResourceKind,
    apiVersion: groupVersionOf(resource),
    namespace: key.namespace,
    name: key.name,
    labels: body.metadata?.labels ?? {},
    annotations: body.metadata?.annotations ?? {},
    finalizers: body.metadata?.finalizers,
    ownerReferences,
    content,
    expectedResourceVersion,
  };
}
