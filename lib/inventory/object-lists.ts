// Server-side filtering, sorting and paging of the inventory lists, as SQL over `resources`.
// Every column a user can sort by maps to one whitelisted expression; indexes on the common ones
// (name, power state, host, cluster, trigram name and IP) keep 45,000 VMs as quick as 50. Any
// list filters by tag (`tag=`) through tag_assignments' (tag, object) key.
import { canSee, visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import "server-only";
import { cursorRows } from "@/lib/db/cursor-rows";
import { getPool } from "@/lib/db/pool";
import { folderTypeOf } from "@/lib/inventory/folder-rules";
import type { PageKind } from "@/lib/inventory/kinds";
import type { ListName, ListPage, ListParams, ListRow } from "@/lib/inventory/list-definitions";
import { isUid } from "@/lib/inventory/object-view";
import { POD_STATUS_SQL } from "@/lib/inventory/pod-status-sql";
import { parseTagReference, taggedSql } from "@/lib/inventory/tag-filter-sql";
import { VM_OVERALL_STATUS_SQL } from "@/lib/inventory/vm-overall-status";
import { containsPattern } from "@/lib/db/like-pattern";

interface ScopeObject {
  uid: string;
  kind: PageKind;
  name: string;
  namespace: string;
  spec: Record<string, unknown>;
}

/** Adds a value to the statement's parameters and returns its placeholder. */
type Bind = (value: unknown) => string;

interface ListSql {
  kind: PageKind;
  columns: Record<string, string>;
  /** Sort expressions for columns whose display text does not sort the way people expect. */
  sorts?: Record<string, string>;
  /** Columns whose value names another object, and that object's kind. */
  links: Record<string, PageKind>;
  /** The condition for "matches the search term"; `pattern` is its bound ILIKE pattern. */
  search: (pattern: string, term: string) => string;
  /** The condition for "the objects of this list that belong to scope", or null if none do. */
  scope: (scope: ScopeObject, bind: Bind) => string | null;
  filters?: (filter: ListFilter, bind: Bind) => string[];
}

const READY = `(SELECT c->>'status' FROM jsonb_array_elements(r.status->'conditions') c WHERE c->>'type' = 'Ready' LIMIT 1)`;
const clustersOfDatacenter = (bind: Bind, datacenter: string) => `(SELECT name FROM resources WHERE kind = 'Cluster' AND spec->>'datacenter' = ${bind(datacenter)})`;
const datacenterOfCluster = (bind: Bind, cluster: string) => `(SELECT spec->>'datacenter' FROM resources WHERE kind = 'Cluster' AND namespace = '' AND name = ${bind(cluster)})`;
/** The uids of a folder and every folder below it (depth bounded, so a damaged row cannot loop). */
const FOLDERS_WITHIN_SQL = (uid: string) => `WITH RECURSIVE within AS (
    SELECT uid::text AS uid, 0 AS depth FROM resources WHERE uid = ${uid}::uuid
    UNION ALL SELECT f.uid::text, within.depth + 1 FROM resources f JOIN within ON f.kind = 'Folder' AND f.spec->>'parent' = within.uid WHERE within.depth < 64)
  SELECT uid FROM within`;
const nameMatches = (pattern: string) => `r.name ILIKE ${pattern}`;

/** AGE as kubectl prints it is worked out from seconds since creation, read with the page. */
const AGE_SECONDS = "extract(epoch FROM now() - r.creation_timestamp)::int";
const CONTAINER_STATUSES = `jsonb_array_elements(COALESCE(r.status->'containerStatuses', '[]'::jsonb))`;
/** The images of a pod template's containers, as `kubectl get -o wide` joins them. */
const TEMPLATE_IMAGES = `(SELECT string_agg(c->>'image', ',') FROM jsonb_array_elements(COALESCE(r.spec->'template'->'spec'->'containers', '[]'::jsonb)) c)`;
/** Objects whose controller is `uid` (a Deployment's ReplicaSets, a ReplicaSet's pods). */
const ownedBy = (bind: Bind, uid: string) => `r.owner_references @> ${bind(JSON.stringify([{ uid }]))}::jsonb`;

/** A cell naming an object the reader may not open (a developer's VM's host) stays text, not a link into "not found". */
function withoutClosedLinks(row: ListRow, links: Record<string, PageKind>, access: AccessScope): ListRow {
  const open = Object.entries(row.links).filter(([column]) => canSee(access, { kind: links[column]!, namespace: "", name: String(row.cells[column]) }));
  return { ...row, links: Object.fromEntries(open) };
}

const LISTS: Record<ListName, ListSql> = {
  vms: {
    kind: "VirtualMachine",
    columns: {
      name: "r.name",
      powerState: "r.status->>'powerState'",
      status: VM_OVERALL_STATUS_SQL,
      host: "r.status->>'host'",
      cluster: "r.labels->>'skylight.io/cluster'",
      namespace: "r.namespace",
      ip: "r.status->'network'->>'primaryIP4'",
      className: "r.spec->>'className'",
      image: "r.spec->>'imageName'",
      cpus: "(r.status->'hardware'->>'cpus')::int",
      memoryMiB: "(r.status->'hardware'->>'memoryMiB')::int",
      diskGiB: "(r.status->'hardware'->>'diskGiB')::int",
      datastore: "r.spec->>'storageClass'",
      created: "r.creation_timestamp",
    },
    sorts: { ip: "(r.status->'network'->>'primaryIP4')::inet" },
    links: { host: "Host", cluster: "Cluster", namespace: "Namespace", datastore: "Datastore" },
    // An IPv4 address holds only digits and dots: a term with anything else cannot match one, and
    // leaving the address out spares reading every row's status (a list filtered by name then reads
    // the name index alone).
    search: (pattern, term) => (/^[0-9.]+$/.test(term) ? `(r.name ILIKE ${pattern} OR r.status->'network'->>'primaryIP4' ILIKE ${pattern})` : `r.name ILIKE ${pattern}`),
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Datacenter":
          return `r.labels->>'skylight.io/cluster' IN ${clustersOfDatacenter(bind, scope.name)}`;
        case "Cluster":
          return `r.labels->>'skylight.io/cluster' = ${bind(scope.name)}`;
        case "Host":
          return `r.status->>'host' = ${bind(scope.name)}`;
        case "Datastore":
          return `r.spec->>'storageClass' = ${bind(scope.name)}`;
        case "Namespace":
          return `r.namespace = ${bind(scope.name)}`;
        case "Folder": {
          // The VMs in the folder and in every folder below it; a host folder's: those of the clusters in it and below it.
          const within = FOLDERS_WITHIN_SQL(bind(scope.uid));
          if (folderTypeOf(scope.spec) === "vm") return `r.labels->>'skylight.io/folder' IN (${within})`;
          return `r.labels->>'skylight.io/cluster' IN (SELECT c.name FROM resources c WHERE c.kind = 'Cluster' AND c.labels->>'skylight.io/folder' IN (${within}))`;
        }
        case "Network": {
          // A VM with no network interfaces of its own is on its datacenter's default port group.
          const named = `r.spec->'network'->'interfaces' @> ${bind(JSON.stringify([{ network: { name: scope.name } }]))}::jsonb`;
          if (scope.spec.portGroup !== "VM Network") return named;
          const unnamed = `jsonb_array_length(COALESCE(r.spec->'network'->'interfaces', '[]'::jsonb)) = 0`;
          return `(${named} OR (${unnamed} AND r.labels->>'skylight.io/cluster' IN ${clustersOfDatacenter(bind, String(scope.spec.datacenter))}))`;
        }
        default:
          return null;
      }
    },
    filters: (params, bind) => [
      ...(params.power ? [`r.status->>'powerState' = ${bind(params.power)}`] : []),
      ...(params.namespace ? [`r.namespace = ${bind(params.namespace)}`] : []),
    ],
  },
  hosts: {
    kind: "Host",
    columns: {
      name: "r.name",
      state: "CASE WHEN (r.status->>'inMaintenanceMode')::boolean THEN 'maintenance' ELSE COALESCE(r.status->>'connectionState', 'disconnected') END",
      status: READY,
      cluster: "r.spec->>'cluster'",
      vms: "(SELECT count(*) FROM resources v WHERE v.kind = 'VirtualMachine' AND v.status->>'host' = r.name)::int",
      cpuCores: "(r.status->'hardware'->>'sockets')::int * (r.status->'hardware'->>'coresPerSocket')::int",
      memoryMiB: "(r.status->'hardware'->>'memoryMiB')::int",
      managementIP: "r.status->>'managementIP'",
      version: "r.status->>'version'",
    },
    sorts: { managementIP: "(r.status->>'managementIP')::inet" },
    links: { cluster: "Cluster" },
    search: (pattern) => `(r.name ILIKE ${pattern} OR r.status->>'managementIP' ILIKE ${pattern})`,
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Datacenter":
          return `r.spec->>'cluster' IN ${clustersOfDatacenter(bind, scope.name)}`;
        case "Cluster":
          return `r.spec->>'cluster' = ${bind(scope.name)}`;
        case "Datastore":
          return `r.name IN (SELECT jsonb_array_elements_text(status->'hosts') FROM resources WHERE uid = ${bind(scope.uid)}::uuid)`;
        case "Network":
          return `r.spec->>'cluster' IN ${clustersOfDatacenter(bind, String(scope.spec.datacenter))}`;
        default:
          return null;
      }
    },
  },
  clusters: {
    kind: "Cluster",
    columns: {
      name: "r.name",
      health: "r.status->>'health'",
      datacenter: "r.spec->>'datacenter'",
      hosts: "(r.status->'hosts'->>'total')::int",
      vms: "(r.status->'virtualMachines'->>'total')::int",
      drs: "CASE WHEN (r.spec->'drs'->>'enabled')::boolean THEN r.spec->'drs'->>'automationLevel' ELSE 'off' END",
      ha: "CASE WHEN (r.spec->'ha'->>'enabled')::boolean THEN 'on' ELSE 'off' END",
    },
    links: { datacenter: "Datacenter" },
    search: nameMatches,
    scope: (scope, bind) => (scope.kind === "Datacenter" ? `r.spec->>'datacenter' = ${bind(scope.name)}` : null),
  },
  datastores: {
    kind: "Datastore",
    columns: {
      name: "r.name",
      type: "r.spec->>'type'",
      datacenter: "r.spec->>'datacenter'",
      capacityGiB: "(r.spec->>'capacityGiB')::int",
      freeGiB: "(r.status->>'freeGiB')::int",
      hosts: "jsonb_array_length(COALESCE(r.status->'hosts', '[]'::jsonb))",
    },
    links: { datacenter: "Datacenter" },
    search: nameMatches,
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Datacenter":
          return `r.spec->>'datacenter' = ${bind(scope.name)}`;
        case "Cluster":
          return `(r.labels->>'skylight.io/cluster' = ${bind(scope.name)}
                   OR r.status->'hosts' ?| ARRAY(SELECT name FROM resources WHERE kind = 'Host' AND spec->>'cluster' = ${bind(scope.name)}))`;
        case "Host":
          return `r.status->'hosts' ? ${bind(scope.name)}`;
        case "VirtualMachine":
          return `r.name = ${bind(String(scope.spec.storageClass ?? ""))}`;
        default:
          return null;
      }
    },
  },
  networks: {
    kind: "Network",
    columns: {
      name: "r.name",
      portGroup: "r.spec->>'portGroup'",
      vlanId: "(r.spec->>'vlanId')::int",
      datacenter: "r.spec->>'datacenter'",
    },
    links: { datacenter: "Datacenter" },
    search: (pattern) => `(r.name ILIKE ${pattern} OR r.spec->>'portGroup' ILIKE ${pattern})`,
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Datacenter":
          return `r.spec->>'datacenter' = ${bind(scope.name)}`;
        case "Cluster":
          return `r.spec->>'datacenter' = ${datacenterOfCluster(bind, scope.name)}`;
        case "Host":
          return `r.spec->>'datacenter' = ${datacenterOfCluster(bind, String(scope.spec.cluster ?? ""))}`;
        case "VirtualMachine": {
          const interfaces = (scope.spec.network as { interfaces?: { network?: { name?: string } }[] } | undefined)?.interfaces ?? [];
          const names = interfaces.map((entry) => entry.network?.name).filter((name): name is string => Boolean(name));
          if (names.length > 0) return `r.name = ANY(${bind(names)}::text[])`;
          const cluster = `(SELECT labels->>'skylight.io/cluster' FROM resources WHERE uid = ${bind(scope.uid)}::uuid)`;
          return `r.spec->>'portGroup' = 'VM Network' AND r.spec->>'datacenter' = (SELECT spec->>'datacenter' FROM resources WHERE kind = 'Cluster' AND namespace = '' AND name = ${cluster})`;
        }
        default:
          return null;
      }
    },
  },
  pods: {
    kind: "Pod",
    columns: {
      name: "r.name",
      podStatus: POD_STATUS_SQL,
      ready: `(SELECT count(*) FILTER (WHERE (cs->>'ready')::boolean) FROM ${CONTAINER_STATUSES} cs)::text || '/' || jsonb_array_length(COALESCE(r.spec->'containers', '[]'::jsonb))::text`,
      restarts: `(SELECT COALESCE(sum((cs->>'restartCount')::int), 0) FROM ${CONTAINER_STATUSES} cs)::int`,
      node: "r.spec->>'nodeName'",
      podIP: "r.status->>'podIP'",
      namespace: "r.namespace",
      age: AGE_SECONDS,
    },
    sorts: { podIP: "(r.status->>'podIP')::inet" },
    links: { node: "Host", namespace: "Namespace" },
    search: (pattern) => `(r.name ILIKE ${pattern} OR r.status->>'podIP' ILIKE ${pattern})`,
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Namespace":
          return `r.namespace = ${bind(scope.name)}`;
        case "Host":
          return `r.spec->>'nodeName' = ${bind(scope.name)}`;
        case "ReplicaSet":
          return `r.namespace = ${bind(scope.namespace)} AND ${ownedBy(bind, scope.uid)}`;
        case "Deployment":
          return `r.namespace = ${bind(scope.namespace)} AND EXISTS (
                    SELECT 1 FROM jsonb_array_elements(r.owner_references) owner
                      JOIN resources s ON s.uid::text = owner->>'uid' AND s.kind = 'ReplicaSet'
                     WHERE s.owner_references @> ${bind(JSON.stringify([{ uid: scope.uid }]))}::jsonb)`;
        default:
          return null;
      }
    },
  },
  deployments: {
    kind: "Deployment",
    columns: {
      name: "r.name",
      ready: `COALESCE(r.status->>'readyReplicas', '0') || '/' || COALESCE(r.spec->>'replicas', '1')`,
      upToDate: "COALESCE((r.status->>'updatedReplicas')::int, 0)",
      available: "COALESCE((r.status->>'availableReplicas')::int, 0)",
      images: TEMPLATE_IMAGES,
      age: AGE_SECONDS,
    },
    links: {},
    search: nameMatches,
    scope: (scope, bind) => (scope.kind === "Namespace" ? `r.namespace = ${bind(scope.name)}` : null),
  },
  replicasets: {
    kind: "ReplicaSet",
    columns: {
      name: "r.name",
      desired: "COALESCE((r.spec->>'replicas')::int, 1)",
      current: "COALESCE((r.status->>'replicas')::int, 0)",
      readyReplicas: "COALESCE((r.status->>'readyReplicas')::int, 0)",
      images: TEMPLATE_IMAGES,
      age: AGE_SECONDS,
    },
    links: {},
    search: nameMatches,
    scope: (scope, bind) => {
      switch (scope.kind) {
        case "Namespace":
          return `r.namespace = ${bind(scope.name)}`;
        case "Deployment":
          return `r.namespace = ${bind(scope.namespace)} AND ${ownedBy(bind, scope.uid)}`;
        default:
          return null;
      }
    },
  },
};

async function readScope(uid: string): Promise<ScopeObject | null> {
  if (!isUid(uid)) return null;
  const { rows } = await getPool().query<ScopeObject>(`SELECT uid::text, kind, name, namespace, spec FROM resources WHERE uid = $1`, [uid]);
  return rows[0] ?? null;
}

/** Whether a list tab makes sense for an object of this kind. */
export function listAppliesTo(list: ListName, kind: PageKind): boolean {
  return LISTS[list].scope({ uid: "", kind, name: "", namespace: "", spec: {} }, () => "$1") !== null;
}


/** A list's filter and sort: everything in its params but the page. */
export type ListFilter = Omit<ListParams, "page" | "size">;

interface ListQuery {
  sql: ListSql;
  where: string;
  values: unknown[];
  bind: Bind;
  sortExpression: string;
  direction: "ASC" | "DESC";
  order: string;
}

/** The rows of a list that `access` lets the reader see and the filter keeps, in the list's order; null when the scope object is not one of them. */
async function listQuery(list: ListName, filter: ListFilter, access: AccessScope, scopeUid?: string): Promise<ListQuery | null> {
  const sql = LISTS[list];
  const values: unknown[] = [];
  const bind: Bind = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = [`r.kind = ${bind(sql.kind)}`];
  if (scopeUid !== undefined) {
    const scope = await readScope(scopeUid);
    const condition = scope && canSee(access, scope) && sql.scope(scope, bind);
    if (!condition) return null;
    conditions.push(condition);
  }
  if (!access.all) conditions.push(visibilitySql(access, { kind: "r.kind", namespace: "r.namespace", name: "r.name", labels: "r.labels" }, bind));
  if (filter.q) conditions.push(sql.search(bind(containsPattern(filter.q)), filter.q));
  conditions.push(...(sql.filters?.(filter, bind) ?? []));
  const tag = filter.tag ? parseTagReference(filter.tag) : null;
  if (tag) conditions.push(taggedSql("r.uid", tag, bind));
  const sortExpression = sql.sorts?.[filter.sort] ?? sql.columns[filter.sort] ?? "r.name";
  const direction = filter.dir === "desc" ? "DESC" : "ASC";
  const order = filter.sort === "name" ? `r.name ${direction}, r.uid` : `${sortExpression} ${direction} NULLS LAST, r.name, r.uid`;
  return { sql, where: conditions.join(" AND "), values, bind, sortExpression, direction, order };
}

/** One page of a list, of the objects `access` lets the reader see; null when the scope object is not one of them. */
export async function readListPage(list: ListName, params: ListParams, access: AccessScope, scopeUid?: string): Promise<ListPage | null> {
  const query = await listQuery(list, params, access, scopeUid);
  if (!query) return null;
  const { sql, where, values, bind, sortExpression, direction, order } = query;
  const countValues = [...values];

  const pageOrder = `page.sort_key ${direction}${params.sort === "name" ? "" : " NULLS LAST, page.name"}, page.uid`;
  const cells = Object.entries(sql.columns)
    .map(([id, expression]) => `'${id}', ${expression}`)
    .join(", ");
  const links = Object.entries(sql.links)
    .map(([id, kind]) => `'${id}', (SELECT uid FROM resources l WHERE l.kind = '${kind}' AND l.namespace = '' AND l.name = page.cells->>'${id}')`)
    .join(", ");
  const limit = bind(params.size);
  const offset = bind((params.page - 1) * params.size);

  const pool = getPool();
  const [pageResult, countResult] = await Promise.all([
    pool.query<ListRow>(
      // Page first, on the sort key alone, then build the cells of the rows shown: rows skipped by
      // OFFSET never pay for their cells, which keeps page 900 as quick as page 1.
      `WITH page AS (
         SELECT r.uid, r.name, ${sortExpression} AS sort_key
           FROM resources r WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}),
       shown AS (
         SELECT page.uid, page.name, page.sort_key, jsonb_build_object(${cells}) AS cells
           FROM page JOIN resources r ON r.uid = page.uid)
       SELECT uid::text, name, cells, jsonb_strip_nulls(jsonb_build_object(${links})) AS links
         FROM shown AS page ORDER BY ${pageOrder}`,
      values,
    ),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM resources r WHERE ${where}`, countValues),
  ]);
  return { rows: access.all ? pageResult.rows : pageResult.rows.map((row) => withoutClosedLinks(row, sql.links, access)), total: countResult.rows[0]!.total, page: params.page, size: params.size };
}

/** A cell of an exported row: timestamps as ISO 8601, everything else as SQL gave it. */
export type ExportCell = string | number | null;

/**
 * Every row of a list as its filter and sort select them, with the `columns` asked for, read
 * `chunkSize` rows at a time through a cursor; null when the scope object is not one the reader may see.
 */
export async function readListExport(list: ListName, filter: ListFilter, access: AccessScope, columns: string[], chunkSize: number, scopeUid?: string): Promise<AsyncGenerator<ExportCell[][]> | null> {
  const query = await listQuery(list, filter, access, scopeUid);
  if (!query) return null;
  const selected = columns.map((id, index) => `${query.sql.columns[id]} AS c${index}`).join(", ");
  return (async function* () {
    for await (const rows of cursorRows<Record<string, unknown>>(`SELECT ${selected} FROM resources r WHERE ${query.where} ORDER BY ${query.order}`, query.values, chunkSize)) {
      yield rows.map((row) => columns.map((_, index) => exportCell(row[`c${index}`])));
    }
  })();
}

const exportCell = (value: unknown): ExportCell => (value instanceof Date ? value.toISOString() : typeof value === "number" || typeof value === "string" ? value : value === null || value === undefined ? null : String(value));
