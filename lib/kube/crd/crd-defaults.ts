// What apiextensions.k8s.io/v1 fills in on a CustomResourceDefinition before validating it (its
// SetDefaults_* functions): the singular name and listKind from the kind, and conversion None.
import { isRecord } from "@/lib/kube/crd/compiled-schema";

/** Applies kube's v1 defaults to `crd` in place; a CRD that is not an object is left for validation to refuse. */
export function defaultCustomResourceDefinition(crd: unknown): void {
  if (!isRecord(crd) || !isRecord(crd.spec)) return;
  const spec = crd.spec;
  const names = isRecord(spec.names) ? spec.names : undefined;
  if (names && typeof names.kind === "string" && names.kind) {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (spec.conversion === undefined || spec.conversion === null) spec.conversion = { strategy: "None" };
  else if (isRecord(spec.conversion) && !spec.conversion.strategy) spec.conversion.strategy = "None";
}
