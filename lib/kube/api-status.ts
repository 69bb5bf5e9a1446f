// Errors in the shape the Kubernetes API returns them (metav1.Status), worded as kube-apiserver
// words them, so kubectl prints "Error from server (NotFound): …" and clients branch on reason.
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, QuotaExceededError, UserFacingError } from "@/lib/errors";
import { logError } from "@/lib/log/rate-limited-log";

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

export interface ResourceRef {
  group: string;
  plural: string;
  kind: string;
  name?: string;
}

const qualified = (ref: ResourceRef) => (ref.group ? `${ref.plural}.${ref.group}` : ref.plural);

export const notFound = (ref: ResourceRef & { name: string }) =>
  new KubeApiError(404, "NotFound", `${qualified(ref)} "${ref.name}" not found`, { name: ref.name, group: ref.group, kind: ref.plural });

export const alreadyExists = (ref: ResourceRef & { name: string }) =>
  new KubeApiError(409, "AlreadyExists", `${qualified(ref)} "${ref.name}" already exists`, { name: ref.name, group: ref.group, kind: ref.plural });

export const conflict = (ref: ResourceRef & { name: string }, why = "the object has been modified; please apply your changes to the latest version and try again") =>
  new KubeApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name}": ${why}`, { name: ref.name, group: ref.group, kind: ref.plural });

/** `Kind.group`, as kube names a kind in an Invalid answer; a custom kind's ref already names its group (`Widget.example.com`). */
const qualifiedKind = (ref: ResourceRef) => (ref.group && !ref.kind.endsWith(`.${ref.group}`) ? `${ref.kind}.${ref.group}` : ref.kind);

export const invalid = (ref: ResourceRef & { name: string }, causes: StatusCause[]) =>
  new KubeApiError(
    422,
    "Invalid",
    `${qualifiedKind(ref)} "${ref.name}" is invalid: ${causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message)).join(", ")}`,
    { name: ref.name, group: ref.group, kind: ref.kind, causes: causes.map((cause) => ({ reason: cause.reason ?? "FieldValueInvalid", ...cause })) },
  );

export const badRequest = (message: string) => new KubeApiError(400, "BadRequest", message);

export const methodNotAllowed = (message: string) => new KubeApiError(405, "MethodNotAllowed", message);

export const gone = (message: string) => new KubeApiError(410, "Expired", message);

export const forbidden = (user: string, verb: string, ref: ResourceRef, namespace: string | undefined, why: string) =>
  new KubeApiError(
    403,
    "Forbidden",
    `${qualified(ref)}${ref.name ? ` "${ref.name}"` : ""} is forbidden: User "${user}" cannot ${verb} resource "${ref.plural}" in API group "${ref.group}" ${namespace ? `in the namespace "${namespace}"` : "at the cluster scope"}: ${why}`,
    { name: ref.name, group: ref.group, kind: ref.plural },
  );

export const unauthorized = () => new KubeApiError(401, "Unauthorized", "Unauthorized");

/** Skylight's own errors (from engine operations) as the Status kube-apiserver would send. */
export function toKubeApiError(error: unknown, ref: ResourceRef & { name: string }): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (error instanceof ConflictError) return conflict(ref);
  if (error instanceof QuotaExceededError) {
    // kube-apiserver's ResourceQuota admission words it so: Forbidden, with the quota's numbers.
    return new KubeApiError(403, "Forbidden", error.forbiddenMessage(qualified(ref), ref.name), { name: ref.name, group: ref.group, kind: ref.plural });
  }
  if (error instanceof InvalidInputError) return invalid(ref, [{ field: error.field, message: error.message }]);
  if (error instanceof NotFoundError) return new KubeApiError(404, "NotFound", error.message, { name: ref.name, group: ref.group, kind: ref.plural });
  if (error instanceof ForbiddenError) return new KubeApiError(403, "Forbidden", error.message, { name: ref.name, group: ref.group, kind: ref.plural });
  if (error instanceof UserFacingError) return new KubeApiError(error.status, "BadRequest", error.message);
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (Array.isArray(issues)) return invalid(ref, issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issue.message })));
  logError("[kube] request failed", error, { stack: true });
  return new KubeApiError(500, "InternalError", "Internal error occurred: the request could not be completed; see the Skylight server log");
}

export function statusBody(error: KubeApiError) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.code,
  };
}
