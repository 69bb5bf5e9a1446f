// An object in the shape the Kubernetes API serves it: apiVersion, kind, metadata, spec, status.
// The YAML tab shows this, and the Kubernetes API serves the same shape (a ConfigMap's or Secret's
// state at the top level, and a custom resource's fields, whatever they are).
import { clientKindOf, isCustomResourceKind, type StoredKind } from "@/lib/inventory/kinds";
import type { ObjectView } from "@/lib/inventory/object-view";
import { liftedConfigObject } from "@/lib/vocabulary/config-object-fields";

type MetadataSource = { kind: StoredKind } & Pick<
  ObjectView,
  | "apiVersion" | "name" | "namespace" | "uid" | "resourceVersion" | "generation" | "creationTimestamp" | "deletionTimestamp"
  | "labels" | "annotations" | "finalizers" | "ownerReferences" | "spec" | "status"
>;

const nonEmpty = <T extends object>(value: T) => (Object.keys(value).length > 0 ? value : undefined);

export function toKubernetesObject(object: MetadataSource) {
  const shaped = liftedConfigObject({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.name,
      ...(object.namespace ? { namespace: object.namespace } : {}),
      uid: object.uid,
      resourceVersion: object.resourceVersion,
      generation: object.generation,
      creationTimestamp: object.creationTimestamp.replace(/\.\d{3}Z$/, "Z"),
      ...(object.deletionTimestamp ? { deletionTimestamp: object.deletionTimestamp.replace(/\.\d{3}Z$/, "Z") } : {}),
      labels: nonEmpty(object.labels),
      annotations: nonEmpty(object.annotations),
      finalizers: object.finalizers.length > 0 ? object.finalizers : undefined,
      ownerReferences: object.ownerReferences.length > 0 ? object.ownerReferences : undefined,
    },
    spec: object.spec,
    status: object.status,
  });
  if (!isCustomResourceKind(object.kind)) return shaped;
  // A custom resource's stored spec column holds all its top-level fields; its kind is its own name.
  const { spec: content, status, ...rest } = shaped;
  return { ...rest, kind: clientKindOf(object.kind), ...content, ...(Object.keys(status).length > 0 ? { status } : {}) } as typeof shaped;
}
