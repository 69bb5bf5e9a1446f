// ConfigMaps and Secrets keep their state at the top level of the object (data, binaryData,
// immutable, a Secret's type), not under spec. Skylight stores those fields in the resources
// table's spec column, the one every generic path (the change log, watches, dry runs) already
// carries; this is where they are lifted to kube's shape, for the API and the YAML tab alike, and
// what field ownership walks, so managedFields name `f:data` → `f:key` as kube-apiserver's do.
import { isCustomResourceKind } from "@/lib/inventory/kinds";

const STATE_FIELDS: Record<string, readonly string[]> = {
  ConfigMap: ["data", "binaryData", "immutable"],
  Secret: ["data", "immutable", "type"],
};

/** What is never a custom resource's state field: its identity, its metadata, its spec and its status (each walked on its own). */
const NOT_STATE = new Set(["apiVersion", "kind", "metadata", "spec", "status"]);

/**
 * The top-level fields of `kind` that hold its state beside spec (none for most kinds). A custom
 * resource (`<Kind>.<group>`) may have any: they are the ones `object` holds.
 */
export const topLevelStateFields = (kind: string, object: Record<string, unknown> = {}): readonly string[] =>
  STATE_FIELDS[kind] ?? (isCustomResourceKind(kind) ? Object.keys(object).filter((field) => !NOT_STATE.has(field)) : []);

/** The object as kube shows it: a ConfigMap's or Secret's stored spec lifted to the top level, without spec and status. */
export function liftedConfigObject<T extends { kind: string; spec: Record<string, unknown>; status: Record<string, unknown> }>(object: T): T {
  if (!Object.hasOwn(STATE_FIELDS, object.kind)) return object;
  const { spec, status: _status, ...rest } = object;
  return { ...rest, ...spec } as unknown as T;
}
