// The YAML tab's Apply: the edited object goes through the Kubernetes API's own update path
// (lib/kube/kube-writes.ts), so the console refuses and accepts exactly what `kubectl apply` does,
// and a resourceVersion older than the object's is a conflict, never an overwrite.
import { parse } from "yaml";
import { getPool } from "@/lib/db/pool";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { isEditableKind, resourceForKind } from "@/lib/kube/api-resources";
import { KubeApiError } from "@/lib/kube/api-status";
import { updateObject } from "@/lib/kube/kube-writes";
import type { Kind } from "@/lib/inventory/kinds";

export interface ApplyYamlInput {
  kind: Kind;
  namespace: string;
  name: string;
  yaml: string;
}

export async function applyObjectYaml(actor: OperationActor, input: ApplyYamlInput): Promise<{ object: { resourceVersion: string }; taskId: string }> {
  const resource = resourceForKind(input.kind);
  if (!resource || !isEditableKind(input.kind)) throw new InvalidInputError("yaml", `${input.kind} objects are read-only.`);
  let body: unknown;
  try {
    body = parse(input.yaml);
  } catch (error) {
    throw new InvalidInputError("yaml", `The YAML could not be read: ${(error as Error).message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("yaml", "The YAML must describe one object (apiVersion, kind, metadata, spec).");
  try {
    const object = await updateObject({ pool: getPool(), actor, resource, namespace: resource.namespaced ? input.namespace : undefined, dryRun: false }, input.name, body as never);
    return { object: { resourceVersion: object.metadata.resourceVersion }, taskId: "" };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    if (error.reason === "Conflict") throw new ConflictError(input.kind, input.name, "");
    if (error.code === 403) throw new ForbiddenError(error.message);
    if (error.code === 404) throw new NotFoundError(error.message);
    throw new InvalidInputError("yaml", error.message);
  }
}
