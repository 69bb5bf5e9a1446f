// A CustomResourceDefinition as the resources table holds it (spec and status of
// apiextensions.k8s.io/v1), and the conditions its controller reports, in kube's words.
export interface DefinitionNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface DefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string; description?: string; format?: string; priority?: number }[];
}

export interface DefinitionSpec {
  group: string;
  names: DefinitionNames;
  scope: "Namespaced" | "Cluster";
  versions: DefinitionVersion[];
}

export interface DefinitionCondition {
  type: "NamesAccepted" | "Established" | "Terminating";
  status: "True" | "False";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface DefinitionStatus {
  conditions?: DefinitionCondition[];
  acceptedNames?: DefinitionNames;
  storedVersions?: string[];
}

/** The finalizer kube-apiserver puts on a definition: its objects are deleted before it goes. */
export const DEFINITION_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

export const conditionIs = (status: DefinitionStatus | undefined, type: DefinitionCondition["type"]) =>
  status?.conditions?.some((condition) => condition.type === type && condition.status === "True") ?? false;

/** The version objects are stored in: the one marked storage. */
export const storageVersionOf = (spec: DefinitionSpec) => spec.versions.find((version) => version.storage)?.name ?? spec.versions[0]?.name ?? "";

/** The stored kind of a definition's objects (lib/inventory/kinds.ts, CustomResourceKind). */
export const storedKindOf = (spec: Pick<DefinitionSpec, "group" | "names">) => `${spec.names.kind}.${spec.group}` as const;
