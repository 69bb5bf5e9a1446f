// Skylight's activity as read-only API resources: the audit events as core v1 Events (so
// `kubectl describe vm` ends with the VM's events and `kubectl get events` lists them) and as
// events.k8s.io/v1 Events (lib/kube/event-objects.ts), and tasks as skylight.io Tasks. Both live in their own tables, not in resources: get, list (paged by
// position) and watch. Their rows take resourceVersions from the resources' sequence (a trigger),
// so a list's version is the watch frontier and a watch from it misses nothing, as for objects.
// A reader gets only rows their scope admits by identity (identityVisibilitySql), never by the
// namespace name a row carries: a namespace re-created under a name does not inherit its history.
import type pg from "pg";
import { identityVisibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { groupVersionOf, type ApiResource } from "@/lib/kube/api-resources";
import { badRequest, notFound } from "@/lib/kube/api-status";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { CORE_EVENT_FIELDS, coreEvent, EVENTS_V1_API_VERSION, EVENTS_V1_FIELDS, eventsV1Event, type EventRow } from "@/lib/kube/event-objects";
import type { WatchSource } from "@/lib/kube/kube-watch";
import type { WatchFrontier } from "@/lib/kube/watch-frontier";
import { SKYLIGHT_API_VERSION } from "@/lib/inventory/kinds";

export interface ActivityListOptions {
  namespace?: string;
  scope: AccessScope;
  fieldSelector: string | null;
  limit?: number;
  continueToken?: string | null;
}

interface TaskRow {
  id: string;
  operation: string;
  description: string;
  target_kind: string;
  target_namespace: string;
  target_name: string;
  target_uid: string | null;
  initiator: string;
  state: string;
  progress: number;
  progress_message: string | null;
  result: string | null;
  error: string | null;
  queued_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  resource_version: string | null;
  created_version: string | null;
}

const timestamp = (value: Date | null) => (value ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : undefined);

function taskObject(row: TaskRow): KubeObject {
  return {
    apiVersion: SKYLIGHT_API_VERSION,
    kind: "Task",
    metadata: { name: row.id, uid: row.id, resourceVersion: row.resource_version ?? "0", creationTimestamp: timestamp(row.queued_at)! },
    spec: {
      operation: row.operation,
      description: row.description,
      target: { kind: row.target_kind, namespace: row.target_namespace || undefined, name: row.target_name, uid: row.target_uid ?? undefined },
      initiator: row.initiator,
    },
    status: {
      state: row.state,
      progress: row.progress,
      progressMessage: row.progress_message ?? undefined,
      error: row.error ?? undefined,
      result: row.result ?? undefined,
      queuedAt: timestamp(row.queued_at),
      startedAt: timestamp(row.started_at),
      completedAt: timestamp(row.completed_at),
    },
  } as unknown as KubeObject;
}

interface ActivityTable {
  table: string;
  /** The row's uid and its namespace's uid, which decide who sees it. */
  identity: { uid: string; namespaceUid: string };
  order: string;
  /** The namespace a row lists in, as SQL; null for cluster-scoped rows. */
  namespace: string | null;
  /** Each field label a fieldSelector may name, as SQL over the row. */
  fields: Record<string, string>;
  toObject(row: unknown): KubeObject;
}

const events = {
  table: "events",
  identity: { uid: "object_uid", namespaceUid: "object_namespace_uid" },
  order: "id",
  namespace: CORE_EVENT_FIELDS["metadata.namespace"]!,
};

/** Each activity resource by apiVersion and kind. */
const TABLES: Record<string, ActivityTable> = {
  "v1/Event": { ...events, fields: CORE_EVENT_FIELDS, toObject: (row: unknown) => coreEvent(row as EventRow) },
  [`${EVENTS_V1_API_VERSION}/Event`]: { ...events, fields: EVENTS_V1_FIELDS, toObject: (row: unknown) => eventsV1Event(row as EventRow) },
  [`${SKYLIGHT_API_VERSION}/Task`]: {
    table: "tasks",
    identity: { uid: "target_uid", namespaceUid: "target_namespace_uid" },
    order: "queued_at, id",
    namespace: null,
    fields: {
      "metadata.name": "id::text",
      "status.state": "state",
      "spec.initiator": "initiator",
      "spec.operation": "operation",
      "spec.target.kind": "target_kind",
      "spec.target.name": "target_name",
    },
    toObject: (row: unknown) => taskObject(row as TaskRow),
  },
};

const tableKey = (resource: ApiResource) => `${groupVersionOf(resource)}/${resource.kind}`;

export const isActivityResource = (resource: ApiResource) => Object.hasOwn(TABLES, tableKey(resource));

function source(resource: ApiResource) {
  return TABLES[tableKey(resource)]!;
}

export async function getActivity(db: pg.Pool, resource: ApiResource, namespace: string | undefined, name: string, scope: AccessScope): Promise<KubeObject> {
  const table = source(resource);
  const values: unknown[] = [name];
  const where = [`${table.fields["metadata.name"]} = $1`, identityVisibilitySql(scope, table.identity, (value) => `$${values.push(value)}`)];
  if (namespace && table.namespace) where.push(`${table.namespace} = $${values.push(namespace)}`);
  const { rows } = await db.query(`SELECT * FROM ${table.table} WHERE ${where.join(" AND ")}`, values);
  if (!rows[0]) throw notFound(resourceRef(resource, name));
  return table.toObject(rows[0]);
}

function whereClause(resource: ApiResource, options: ActivityListOptions): { where: string[]; values: unknown[] } {
  const table = source(resource);
  const values: unknown[] = [];
  const where: string[] = [identityVisibilitySql(options.scope, table.identity, (value) => `$${values.push(value)}`)];
  if (options.namespace && table.namespace) where.push(`${table.namespace} = $${values.push(options.namespace)}`);
  for (const term of options.fieldSelector ? options.fieldSelector.split(",") : []) {
    const match = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
    if (!match) throw badRequest(`invalid selector: '${options.fieldSelector}'; can't understand '${term}'`);
    const column = Object.hasOwn(table.fields, match[1]!) ? table.fields[match[1]!] : undefined;
    if (!column) throw badRequest(`field label not supported: ${match[1]}`);
    where.push(`${match[2] === "!=" ? "NOT " : ""}COALESCE(${column} = $${values.push(match[3])}, false)`);
  }
  return { where, values };
}

export async function listActivity(
  db: pg.Pool,
  frontier: WatchFrontier,
  resource: ApiResource,
  options: ActivityListOptions,
): Promise<{ objects: KubeObject[]; resourceVersion: string; continueToken?: string }> {
  const table = source(resource);
  const { where, values } = whereClause(resource, options);
  const offset = options.continueToken ? Number(Buffer.from(options.continueToken, "base64url").toString()) : 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw badRequest("continue key is not valid: the token was not issued by this server");
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  // The frontier before the rows: a watch from it may repeat a row written meanwhile, never miss one.
  const resourceVersion = String(await frontier.current());
  // Events list oldest first, as kube-apiserver lists them; a page continues after the last row.
  const { rows } = await db.query(
    `SELECT * FROM ${table.table} WHERE ${where.join(" AND ")} ORDER BY ${table.order}${limit ? ` LIMIT ${limit + 1} OFFSET ${offset}` : ""}`,
    values,
  );
  const more = limit !== undefined && rows.length > limit;
  return {
    objects: (more ? rows.slice(0, limit) : rows).map(table.toObject),
    resourceVersion,
    continueToken: more ? Buffer.from(String(offset + limit!)).toString("base64url") : undefined,
  };
}

/** A watch of events or tasks: rows whose resourceVersion falls in the range; a task is ADDED in the range it was created in. */
export function activityWatchSource(db: pg.Pool, frontier: WatchFrontier, resource: ApiResource, options: ActivityListOptions): WatchSource {
  const table = source(resource);
  return {
    list: () => listActivity(db, frontier, resource, { ...options, limit: undefined, continueToken: null }),
    async changes(after, through) {
      const { where, values } = whereClause(resource, options);
      const range = `resource_version > $${values.push(String(after))} AND resource_version <= $${values.push(String(through))}`;
      const { rows } = await db.query(`SELECT * FROM ${table.table} WHERE ${where.join(" AND ")} AND ${range} ORDER BY resource_version`, values);
      return rows.map((row: { created_version?: string | null }) => ({
        event: row.created_version && BigInt(row.created_version) <= after ? ("MODIFIED" as const) : ("ADDED" as const),
        object: table.toObject(row),
      }));
    },
  };
}
