// Events written by clients (an operator reporting on its objects): a POST of a core v1 Event
// (involvedObject, reason, message, type, source) or an events.k8s.io/v1 Event (regarding, reason,
// note, type, reportingController) into a namespace, stored in the events table beside Skylight's
// own, so the object's Monitor tab, `kubectl get events` and `kubectl events --for` show it, with
// the writer as its actor. The caller is authorized before the body is read (the namespace's edit
// role, lib/kube/kube-access.ts). The object must be in the namespace written to, and every field
// is bounded (kube's 1024-character note and 128-character reason). The server names the event
// (`<object>.<id>`), whatever name the client sent.
import type pg from "pg";
import { auditName, EVERYTHING } from "@/lib/auth/authorize";
import { recordEvent, type EventObjectKind } from "@/lib/engine/activity";
import { isStorableText } from "@/lib/http/untrusted-input";
import { getActivity } from "@/lib/kube/activity-resources";
import { resourceForReference, type ApiResource } from "@/lib/kube/api-resources";
import { invalid, type StatusCause } from "@/lib/kube/api-status";
import type { KubeActor } from "@/lib/kube/kube-access";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";

const MAX_NOTE = 1024;
const MAX_REASON = 128;
const MAX_NAME = 253;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

interface ObjectReference {
  apiVersion?: unknown;
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
}

interface IncomingEvent {
  metadata?: { name?: unknown };
  involvedObject?: ObjectReference;
  regarding?: ObjectReference;
  reason?: unknown;
  message?: unknown;
  note?: unknown;
  type?: unknown;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** Creates the event the body describes, or throws Invalid naming each field that breaks a rule. */
export async function createClientEvent(pool: pg.Pool, actor: KubeActor, resource: ApiResource, namespace: string, body: IncomingEvent): Promise<KubeObject> {
  const core = resource.group === "";
  const [objectField, messageField] = core ? ["involvedObject", "message"] : ["regarding", "note"];
  const object = (core ? body.involvedObject : body.regarding) ?? {};
  const kind = text(object.kind) ?? "";
  const name = text(object.name) ?? "";
  const message = text(core ? body.message : body.note) ?? "";
  const reason = text(body.reason) ?? "";
  const type = text(body.type) ?? "Normal";
  const causes: StatusCause[] = [];
  const cause = (field: string, message: string, reason = "FieldValueInvalid") => causes.push({ field, message, reason });
  if (!KIND.test(kind)) cause(`${objectField}.kind`, kind ? `Invalid value: ${JSON.stringify(kind.slice(0, 64))}: must be a kind's name (a letter, then letters and digits, at most 63)` : "Required value", kind ? undefined : "FieldValueRequired");
  if (!name) cause(`${objectField}.name`, "Required value", "FieldValueRequired");
  else if (name.length > MAX_NAME) cause(`${objectField}.name`, `Too long: may not be more than ${MAX_NAME} bytes`, "FieldValueTooLong");
  if (object.namespace !== undefined && object.namespace !== namespace) {
    cause(`${objectField}.namespace`, `Invalid value: ${JSON.stringify(String(object.namespace).slice(0, MAX_NAME))}: does not match event.namespace`);
  }
  if (reason.length > MAX_REASON) cause("reason", `Too long: may not be more than ${MAX_REASON} bytes`, "FieldValueTooLong");
  if (message.length > MAX_NOTE) cause(messageField, `Too long: may not be more than ${MAX_NOTE} bytes`, "FieldValueTooLong");
  if (type !== "Normal" && type !== "Warning") cause("type", `Unsupported value: ${JSON.stringify(type.slice(0, 64))}: supported values: "Normal", "Warning"`, "FieldValueNotSupported");
  for (const [field, value] of [[`${objectField}.name`, name], ["reason", reason], [messageField, message]] as const) {
    if (!isStorableText(value)) cause(field, "Invalid value: contains a NUL character or half of a surrogate pair");
  }
  const eventName = text(body.metadata?.name) ?? name;
  if (causes.length > 0) throw invalid(resourceRef(resource, eventName.slice(0, MAX_NAME)), causes);

  // A custom resource is stored as `<Kind>.<group>`: its apiVersion says which group's Kind it is.
  const apiVersion = text(object.apiVersion);
  const storedKind = (apiVersion && resourceForReference(apiVersion, kind)?.kind) || kind;
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = $1 AND namespace = $2 AND name = $3`, [storedKind, namespace, name]);
  const id = await recordEvent(pool, {
    reason,
    message,
    severity: type === "Warning" ? "warning" : "info",
    object: { kind: storedKind as EventObjectKind, namespace, name, uid: rows[0]?.uid ?? null },
    actor: auditName(actor),
  });
  return getActivity(pool, resource, namespace, `${name}.${id}`, EVERYTHING);
}
