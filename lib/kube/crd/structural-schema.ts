// The pure heart of a custom resource's schema: compile a version's openAPIV3Schema once, then
// validate, prune and default objects against it as kube-apiserver does. Nothing here touches the
// database; the serving side (storage, routes) calls these on each write and read.
import { compileNode, type CompiledSchema } from "@/lib/kube/crd/compiled-schema";

export type { CompiledSchema, SchemaNode } from "@/lib/kube/crd/compiled-schema";
export { validateCustomResource } from "@/lib/kube/crd/value-validation";
export { pruneCustomResource } from "@/lib/kube/crd/pruning";
export { defaultCustomResource } from "@/lib/kube/crd/defaulting";
export type { FieldError } from "@/lib/kube/crd/field-errors";

/**
 * Compiles `openAPIV3Schema` (patterns to RE2 matchers, CEL rules to programs). Pure. Throws if a
 * pattern or rule does not compile: validateCustomResourceDefinition refuses such a CRD first.
 */
export function compileSchema(openAPIV3Schema: unknown): CompiledSchema {
  return { root: compileNode(openAPIV3Schema) };
}
