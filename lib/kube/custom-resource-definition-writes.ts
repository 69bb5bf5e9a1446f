// What a create or replace of a CustomResourceDefinition through the API hands to the engine
// (lib/engine/operations/custom-resource-definition-operations.ts): the definition held to
// kube-apiserver's rules (lib/kube/crd/crd-validation.ts; as an update, against the stored one:
// group, scope and plural stay), refused with 422 naming every broken rule. Its status is the
// definition controller's, never a client's.
import type { DefinitionWrite } from "@/lib/engine/operations/custom-resource-definition-operations";
import type { ApiResource } from "@/lib/kube/api-resources";
import { invalid } from "@/lib/kube/api-status";
import { validateCustomResourceDefinition } from "@/lib/kube/crd/crd-validation";
import { statusCauses } from "@/lib/kube/crd/field-errors";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { DefinitionSpec } from "@/lib/vocabulary/custom-resource-definition";

interface IncomingDefinition {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

export function definitionWrite(resource: ApiResource, name: string, body: IncomingDefinition, current?: KubeObject): DefinitionWrite {
  const named = { ...body, metadata: { ...body.metadata, name } };
  const errors = validateCustomResourceDefinition(named, current);
  if (errors.length > 0) throw invalid(resourceRef(resource, name), statusCauses(errors));
  return { name, labels: body.metadata?.labels ?? {}, annotations: body.metadata?.annotations ?? {}, spec: body.spec as DefinitionSpec };
}
