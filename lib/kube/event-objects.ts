// Skylight's audit events (the `events` table) in the two shapes the Kubernetes API serves them:
// core v1 Event and events.k8s.io/v1 Event (the shape kube-apiserver converts a core Event to:
// involvedObject → regarding, message → note, source → deprecatedSource, …), and the field
// selectors each shape accepts, as kube-apiserver's Event field set, mapped to the table's columns.
import { isCustomResourceKind } from "@/lib/inventory/kinds";
import { API_RESOURCES, groupVersionOf, resourceForKind, servedKind, servedResources } from "@/lib/kube/api-resources";
import type { KubeObject } from "@/lib/kube/kube-objects";

export interface EventRow {
  id: string;
  time: Date;
  severity: string;
  reason: string;
  message: string;
  object_kind: string;
  object_namespace: string;
  object_name: string;
  object_uid: string | null;
  actor: string | null;
  resource_version: string | null;
}

export const EVENTS_V1_API_VERSION = "events.k8s.io/v1";
const REPORTING_CONTROLLER = "skylight";

/** The apiVersion the API serves each kind in (the first listed, so core Event before events.k8s.io's). */
const KIND_API_VERSIONS = new Map<string, string>();
for (const resource of API_RESOURCES) if (!KIND_API_VERSIONS.has(resource.kind)) KIND_API_VERSIONS.set(resource.kind, groupVersionOf(resource));

/** A literal for SQL. Kinds, groups and versions are ours or a validated definition's (DNS names), never free text; quoted all the same. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * involvedObject.apiVersion over the table: each built-in kind's, and each custom kind's (stored as
 * `<Kind>.<group>`) its definition's first served version, as of this request's definitions.
 */
function apiVersionSql(): string {
  const versions = new Map(KIND_API_VERSIONS);
  for (const resource of servedResources()) if (resource.custom && !versions.has(resource.kind)) versions.set(resource.kind, groupVersionOf(resource));
  return `CASE object_kind ${[...versions].map(([kind, version]) => `WHEN ${literal(kind)} THEN ${literal(version)}`).join(" ")} ELSE '' END`;
}

/** involvedObject.kind: a custom resource's own kind (`Widget`), not its stored `<Kind>.<group>`. */
const KIND_SQL = "CASE WHEN strpos(object_kind, '.') > 0 THEN split_part(object_kind, '.', 1) ELSE object_kind END";
const NAMESPACE_SQL = "CASE WHEN object_namespace = '' THEN 'default' ELSE object_namespace END";
const TYPE_SQL = "CASE WHEN severity = 'info' THEN 'Normal' ELSE 'Warning' END";

const timestamp = (value: Date) => value.toISOString().replace(/\.\d{3}Z$/, "Z");
/** metav1.MicroTime: microseconds, as eventTime is written. */
const microTime = (value: Date) => value.toISOString().replace(/Z$/, "000Z");
// Events of cluster-scoped objects (hosts, clusters) live in "default", as kube-apiserver keeps them.
const eventNamespace = (row: EventRow) => row.object_namespace || "default";

function metadata(row: EventRow) {
  return { name: `${row.object_name}.${row.id}`, namespace: eventNamespace(row), resourceVersion: row.resource_version ?? "0", creationTimestamp: timestamp(row.time) };
}

function regarding(row: EventRow) {
  const custom = isCustomResourceKind(row.object_kind) ? resourceForKind(row.object_kind) : undefined;
  return {
    kind: custom ? servedKind(custom) : row.object_kind,
    namespace: row.object_namespace || undefined,
    name: row.object_name,
    uid: row.object_uid ?? undefined,
    apiVersion: custom ? groupVersionOf(custom) : KIND_API_VERSIONS.get(row.object_kind),
  };
}

const source = (row: EventRow) => ({ component: row.actor ? `skylight (${row.actor})` : "skylight" });

export function coreEvent(row: EventRow): KubeObject {
  const time = timestamp(row.time);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: metadata(row),
    involvedObject: regarding(row),
    reason: row.reason,
    message: row.message,
    type: row.severity === "info" ? "Normal" : "Warning",
    source: source(row),
    reportingComponent: REPORTING_CONTROLLER,
    eventTime: microTime(row.time),
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  } as unknown as KubeObject;
}

export function eventsV1Event(row: EventRow): KubeObject {
  const time = timestamp(row.time);
  return {
    apiVersion: EVENTS_V1_API_VERSION,
    kind: "Event",
    metadata: metadata(row),
    eventTime: microTime(row.time),
    reportingController: REPORTING_CONTROLLER,
    regarding: regarding(row),
    reason: row.reason,
    note: row.message,
    type: row.severity === "info" ? "Normal" : "Warning",
    deprecatedSource: source(row),
    deprecatedFirstTimestamp: time,
    deprecatedLastTimestamp: time,
    deprecatedCount: 1,
  } as unknown as KubeObject;
}

/** kube-apiserver's core Event field set (ToSelectableFields), over the events table. */
export const CORE_EVENT_FIELDS: Record<string, string> = {
  "metadata.name": "object_name || '.' || id",
  "metadata.namespace": NAMESPACE_SQL,
  "involvedObject.kind": KIND_SQL,
  "involvedObject.namespace": "object_namespace",
  "involvedObject.name": "object_name",
  "involvedObject.uid": "COALESCE(object_uid::text, '')",
  "involvedObject.resourceVersion": "''",
  "involvedObject.fieldPath": "''",
  reason: "reason",
  reportingComponent: `'${REPORTING_CONTROLLER}'`,
  source: "CASE WHEN actor IS NULL THEN 'skylight' ELSE 'skylight (' || actor || ')' END",
  type: TYPE_SQL,
};

/** events.k8s.io/v1's field labels, each converted to the core one it names, as kube-apiserver converts them. */
export const EVENTS_V1_FIELDS: Record<string, string> = {
  "metadata.name": CORE_EVENT_FIELDS["metadata.name"]!,
  "metadata.namespace": NAMESPACE_SQL,
  ...Object.fromEntries(["kind", "namespace", "name", "uid", "resourceVersion", "fieldPath"].map((field) => [`regarding.${field}`, CORE_EVENT_FIELDS[`involvedObject.${field}`]!])),
  reason: "reason",
  reportingController: CORE_EVENT_FIELDS.reportingComponent!,
  type: TYPE_SQL,
};

// The apiVersion depends on the definitions served when the request is made, so it is read then.
for (const [fields, label] of [[CORE_EVENT_FIELDS, "involvedObject.apiVersion"], [EVENTS_V1_FIELDS, "regarding.apiVersion"]] as const) {
  Object.defineProperty(fields, label, { enumerable: true, get: apiVersionSql });
}
