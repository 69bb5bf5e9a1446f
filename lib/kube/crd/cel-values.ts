// A custom resource's JSON as CEL sees it, typed by the schema as kube types it: an integer field
// is a CEL int (even when its JSON spelling is 5.0), a number field a double (even for 5), an
// object or a map a CEL map, an array a list; values under x-kubernetes-preserve-unknown-fields
// or int-or-string take the type their JSON spelling suggests.
import type { CelInput } from "@bufbuild/cel";
import { isRecord, type SchemaNode } from "@/lib/kube/crd/compiled-schema";

function untyped(value: unknown): CelInput {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(untyped);
  if (isRecord(value)) return new Map(Object.entries(value).map(([key, item]) => [key, untyped(item)]));
  return value as CelInput;
}

export function toCel(value: unknown, node: SchemaNode | undefined): CelInput {
  if (!node || value === null || value === undefined) return untyped(value);
  if (typeof value === "number") {
    if (node.type === "number") return value;
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCel(item, node.items));
  if (isRecord(value)) {
    return new Map(Object.entries(value).map(([key, item]) => [key, toCel(item, node.properties?.get(key) ?? node.additionalProperties)]));
  }
  return value as CelInput;
}
