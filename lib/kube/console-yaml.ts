// The YAML tab's Apply: the edited object goes through the Kubernetes API's own update path
// (lib/kube/kube-writes.ts), so the console refuses and accepts exactly what `kubectl apply` does.
// Someone else's change to the desired state (spec, labels, annotations) since the editor opened
// is a conflict, never overwritten; status the controllers wrote meanwhile is not. The actor is
// authorized before the YAML is read or the object looked at, and an object they may not see is
// answered exactly as one that does not exist.
import { authorize, isAuthorized } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "@/lib/errors";
import { editVerbForKind, isEditableKind, resourceForKind } from "@/lib/kube/api-resources";
import { KubeApiError } from "@/lib/kube/api-status";
import { readKubeObject } from "@/lib/kube/kube-objects";
import { updateObject } from "@/lib/kube/kube-writes";
import { sameJson } from "@/lib/engine/same-json";
import { parseUntrustedYaml } from "@/lib/http/untrusted-yaml";
import type { CustomResourceKind, Kind } from "@/lib/inventory/kinds";
import { refreshServedCustomKinds } from "@/lib/kube/served-custom-kinds";
import { isEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

export interface ApplyYamlInput {
  kind: Kind | CustomResourceKind;
  namespace: string;
  name: string;
  /** The object as the editor opened it, and as edited. */
  openedYaml: string;
  yaml: string;
}

interface DesiredState {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

/** The editor's text, through the same bounds and key checks as the API's YAML bodies. */
function readYaml(text: string): DesiredState & Record<string, unknown> {
  let body: unknown;
  try {
    body = parseUntrustedYaml(text);
  } catch (error) {
    throw new InvalidInputError("yaml", `The YAML could not be read: ${(error as Error).message}`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InvalidInputError("yaml", "The YAML must describe one object (apiVersion, kind, metadata, spec).");
  return body as DesiredState & Record<string, unknown>;
}

// skylight.io/ annotations are the engine's bookkeeping, which it writes while it works.
const userAnnotations = (state: DesiredState) => Object.fromEntries(Object.entries(state.metadata?.annotations ?? {}).filter(([key]) => !isEngineOwned(key)));

/** What a person decides about an object: every top-level field but its identity, metadata and observed status (a custom resource may have any). */
function desiredFields(state: DesiredState & Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _apiVersion, kind: _kind, metadata: _metadata, status: _status, ...desired } = state;
  return desired;
}

const sameDesiredState = (a: DesiredState & Record<string, unknown>, b: DesiredState & Record<string, unknown>) =>
  sameJson(desiredFields(a), desiredFields(b)) && sameJson(a.metadata?.labels ?? {}, b.metadata?.labels ?? {}) && sameJson(userAnnotations(a), userAnnotations(b));

/**
 * The edited labels or annotations without the engine-owned entries the user left as the editor
 * showed them: the engine may have changed or dropped those since (a VM's create-pending mark
 * goes when its creation finishes), and sending back the old value would read as the user
 * setting it. An entry they added or edited stays, for the update path to refuse by name.
 */
function withoutUntouchedEngineEntries(edited: unknown, opened: Record<string, string> | undefined): unknown {
  if (!edited || typeof edited !== "object" || Array.isArray(edited)) return edited;
  return Object.fromEntries(Object.entries(edited).filter(([key, value]) => !(isEngineOwned(key) && opened && Object.hasOwn(opened, key) && opened[key] === value)));
}

export async function applyObjectYaml(actor: OperationActor, input: ApplyYamlInput): Promise<{ object: { resourceVersion: string }; taskId: string }> {
  // A custom kind is served as its definition is now, which another process may have changed.
  await refreshServedCustomKinds();
  const resource = resourceForKind(input.kind);
  if (!resource || !isEditableKind(input.kind)) throw new InvalidInputError("yaml", `${input.kind} objects are read-only.`);
  const namespace = resource.namespaced ? input.namespace : undefined;
  const ref = { kind: input.kind, namespace: namespace ?? "", name: input.name };
  const missing = new NotFoundError(`${input.kind} "${input.name}" no longer exists.`);
  if (!(await isAuthorized(actor, "read", ref))) throw missing;
  await authorize(actor, editVerbForKind(input.kind), ref);
  const body = readYaml(input.yaml);
  const opened = readYaml(input.openedYaml);
  const current = await readKubeObject(getPool(), ref);
  if (!current) throw missing;
  if (!sameDesiredState(current, opened)) throw new ConflictError(input.kind, input.name, current.metadata.resourceVersion);
  const edited = (body.metadata ?? {}) as DesiredState["metadata"] & object;
  const metadata = {
    ...edited,
    ...(edited.labels !== undefined && { labels: withoutUntouchedEngineEntries(edited.labels, opened.metadata?.labels) }),
    ...(edited.annotations !== undefined && { annotations: withoutUntouchedEngineEntries(edited.annotations, opened.metadata?.annotations) }),
    resourceVersion: current.metadata.resourceVersion,
  };
  try {
    const object = await updateObject({ pool: getPool(), actor, resource, namespace, dryRun: false, fieldValidation: "Strict" }, input.name, { ...body, metadata } as never);
    return { object: { resourceVersion: object.metadata.resourceVersion }, taskId: "" };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    if (error.reason === "Conflict") throw new ConflictError(input.kind, input.name, "");
    if (error.code === 403) throw new ForbiddenError(error.message);
    if (error.code === 404) throw new NotFoundError(error.message);
    throw new InvalidInputError("yaml", error.message);
  }
}
