// Engine functions for CustomResourceDefinitions (apiextensions.k8s.io/v1, cluster-scoped):
// create, replace and delete, each one writeObject call that only administrators may make. The
// Kubernetes API has validated the definition (lib/kube/custom-resource-definition-writes.ts); the
// definition controller (lib/engine/controllers/custom-resource-definition-controller.ts) decides
// whether its names are accepted, establishes it, and on delete removes its objects before it goes.
import type pg from "pg";
import { writeObject, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { API_ONLY_KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { DEFINITION_CLEANUP_FINALIZER, type DefinitionSpec } from "@/lib/vocabulary/custom-resource-definition";
import { withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

export interface DefinitionWrite {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: DefinitionSpec;
  expectedResourceVersion?: string;
}

const AUTHORITY = { permission: "customResourceDefinitions.manage" } as const;
const key = (name: string) => ({ kind: "CustomResourceDefinition", namespace: "", name }) as const;

export async function createCustomResourceDefinition(actor: OperationActor, write: DefinitionWrite, pool?: pg.Pool): Promise<OperationResult<DefinitionSpec>> {
  return writeObject<DefinitionSpec>({
    actor,
    key: key(write.name),
    authority: AUTHORITY,
    operation: "CustomResourceDefinition.create",
    description: `Create custom resource definition ${write.name}`,
    nameTaken: { field: "metadata.name", message: `A custom resource definition named "${write.name}" already exists.` },
    completesAtOnce: true,
    create: () => ({
      apiVersion: API_ONLY_KIND_API_VERSIONS.CustomResourceDefinition,
      ...key(write.name),
      labels: withEngineOwned("labels", write.labels, {}),
      annotations: withEngineOwned("annotations", write.annotations, {}),
      finalizers: [DEFINITION_CLEANUP_FINALIZER],
      spec: write.spec,
      status: {},
    }),
    pool,
  });
}

export async function replaceCustomResourceDefinition(actor: OperationActor, write: DefinitionWrite, pool?: pg.Pool): Promise<OperationResult<DefinitionSpec>> {
  return writeObject<DefinitionSpec>({
    actor,
    key: key(write.name),
    authority: AUTHORITY,
    expectedResourceVersion: write.expectedResourceVersion,
    operation: "CustomResourceDefinition.update",
    description: `Update custom resource definition ${write.name}`,
    completesAtOnce: true,
    noOpWithoutTask: true,
    change: (current) => ({
      spec: write.spec,
      labels: withEngineOwned("labels", write.labels, current.labels),
      annotations: withEngineOwned("annotations", write.annotations, current.annotations),
    }),
    pool,
  });
}

/** Marked deleted: the definition controller deletes its objects, then lets it go. */
export async function deleteCustomResourceDefinition(actor: OperationActor, input: { name: string; expectedResourceVersion?: string }, pool?: pg.Pool): Promise<OperationResult<DefinitionSpec>> {
  return writeObject<DefinitionSpec>({
    actor,
    key: key(input.name),
    authority: AUTHORITY,
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "CustomResourceDefinition.delete",
    description: `Delete custom resource definition ${input.name}`,
    change: () => ({ delete: "mark" }),
    pool,
  });
}
