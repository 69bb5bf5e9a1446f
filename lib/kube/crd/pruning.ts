// Pruning as kube-apiserver does it for custom resources: a field the schema does not declare is
// dropped, unless x-kubernetes-preserve-unknown-fields keeps it (at any depth, and only there).
// The root's apiVersion, kind and metadata are the API server's, and an embedded resource keeps
// its apiVersion and kind, and those of its metadata's fields ObjectMeta has.
import { isRecord, type CompiledSchema, type SchemaNode } from "@/lib/kube/crd/compiled-schema";
import { childPath, indexPath } from "@/lib/kube/crd/field-errors";

const TYPE_META = new Set(["apiVersion", "kind"]);

/** The ObjectMeta fields an embedded resource's metadata keeps. */
const OBJECT_META_FIELDS = new Set([
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
  "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
]);

function pruneObjectMeta(metadata: unknown, path: string, pruned: string[]): void {
  if (!isRecord(metadata)) return;
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      delete metadata[key];
      pruned.push(childPath(path, key));
    }
  }
}

function prune(value: unknown, node: SchemaNode, path: string, pruned: string[], root: boolean): void {
  if (Array.isArray(value)) {
    const items = node.items;
    if (items) value.forEach((item, index) => prune(item, items, indexPath(path, index), pruned, false));
    return;
  }
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    const at = childPath(path, key);
    const keptByServer = (root || node.embeddedResource) && (TYPE_META.has(key) || key === "metadata");
    if (keptByServer) {
      if (node.embeddedResource && key === "metadata") pruneObjectMeta(value[key], at, pruned);
      continue;
    }
    const child = node.properties?.get(key) ?? node.additionalProperties;
    if (child) prune(value[key], child, at, pruned, false);
    else if (!node.preserveUnknownFields) {
      delete value[key];
      pruned.push(at);
    }
  }
}

/** Removes from `object`, in place, every field `schema` does not declare or preserve; returns their paths. */
export function pruneCustomResource(schema: CompiledSchema, object: Record<string, unknown>): string[] {
  const pruned: string[] = [];
  prune(object, schema.root, "", pruned, true);
  return pruned;
}

/** Prunes a value at `node` (a default, when a CRD is validated) and returns the paths it dropped. */
export function pruneValue(value: unknown, node: SchemaNode, path: string): string[] {
  const pruned: string[] = [];
  prune(value, node, path, pruned, false);
  return pruned;
}
