// Defaulting as kube-apiserver does it for custom resources, on every write and on every read
// from storage: a property with a `default` that is missing (or null where null is not allowed)
// gets a copy of it, and the walk then descends into it, so a default's own nested defaults apply
// too; a null the schema does not allow and no default replaces is dropped, as kube drops it.
import { isRecord, type CompiledSchema, type SchemaNode } from "@/lib/kube/crd/compiled-schema";

const isNonNullableNull = (value: unknown, node: SchemaNode) => value === null && !node.nullable;

function applyDefaults(value: unknown, node: SchemaNode): void {
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    value.forEach((item, index) => {
      if (isNonNullableNull(item, items) && items.hasDefault) value[index] = structuredClone(items.default);
      applyDefaults(value[index], items);
    });
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of node.properties ?? []) {
    if (child.hasDefault && (!Object.hasOwn(value, key) || isNonNullableNull(value[key], child))) value[key] = structuredClone(child.default);
  }
  for (const key of Object.keys(value)) {
    const child = node.properties?.get(key) ?? node.additionalProperties;
    if (!child) continue;
    if (isNonNullableNull(value[key], child)) {
      if (child.hasDefault) value[key] = structuredClone(child.default);
      else if (child.type) {
        delete value[key];
        continue;
      }
    }
    applyDefaults(value[key], child);
  }
}

/** Fills in `object`'s missing fields from `schema`'s defaults, in place. */
export function defaultCustomResource(schema: CompiledSchema, object: Record<string, unknown>): void {
  applyDefaults(object, schema.root);
}

/** Applies a node's nested defaults to a value (a default itself, when a CRD is validated). */
export const defaultValue = applyDefaults;
