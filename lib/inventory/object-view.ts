// Read model of one object's page: the object itself in Kubernetes shape, links to the objects
// it relates to (its datacenter, cluster, host, namespace, datastore, class and image), the
// figures its Summary shows, and the task that is changing it right now.
import "server-only";
import { cache } from "react";
import { getPool } from "@/lib/db/pool";
import { readFolderSummary } from "@/lib/inventory/folder-reads";
import { readPrinterFacts, type PrinterFact } from "@/lib/inventory/custom-resource-facts";
import { isCustomResourceKind, type Kind, type PageKind } from "@/lib/inventory/kinds";
import { toKubernetesObject } from "@/lib/inventory/kubernetes-object";
import { POD_STATUS_SQL } from "@/lib/inventory/pod-status-sql";

export interface ObjectLink {
  uid: string;
  kind: string;
  name: string;
  namespace: string;
  /** The reader may not open it: shown as its name, not a link. */
  closed?: true;
}

export interface ActiveTask {
  id: string;
  description: string;
  state: string;
  progress: number;
  progressMessage: string | null;
}

export interface ObjectView {
  uid: string;
  apiVersion: string;
  kind: PageKind;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  finalizers: string[];
  ownerReferences: unknown[];
  generation: number;
  resourceVersion: string;
  creationTimestamp: string;
  deletionTimestamp: string | null;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
  /** Related objects by role ("cluster", "host", "datastore", …), each a link target. */
  related: Record<string, ObjectLink>;
  /** The objects its ownerReferences name (a namespace's reference aside), and the first of those naming it. */
  owners: ObjectLink[];
  dependents: ObjectLink[];
  /** How many objects name it as their owner, of which `dependents` holds the first DEPENDENTS_SHOWN. */
  dependentCount: number;
  /** A custom resource's printer columns, as `kubectl get` shows them; none for built-in kinds. */
  printerFacts: PrinterFact[];
  /** Counts and capacity figures for the Summary; which keys exist depends on the kind. */
  stats: Record<string, number>;
  /** A pod's STATUS as `kubectl get pods` prints it (Running, CrashLoopBackOff, Terminating…); null for other kinds. */
  podStatus: string | null;
  activeTask: ActiveTask | null;
  /** A folder's place, from its datacenter down ("dc-boston / Production / Web"); absent for other kinds. */
  folderPath?: string;
  /** A folder the reader sees only as the path to one below it: its spec comes without its permissions. */
  permissionsHidden?: true;
}

interface ResourceRow {
  uid: string;
  api_version: string;
  kind: PageKind;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  finalizers: string[];
  owner_references: unknown[];
  generation: string;
  resource_version: string;
  creation_timestamp: Date;
  deletion_timestamp: Date | null;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

const UID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUid(value: string): boolean {
  return UID_PATTERN.test(value);
}

/** The name of the `kind` object with this uid, or null when the uid names no such object. */
export async function readNameByUid(kind: string, uid: string): Promise<string | null> {
  if (!isUid(uid)) return null;
  const { rows } = await getPool().query<{ name: string }>(`SELECT name FROM resources WHERE uid = $1 AND kind = $2`, [uid, kind]);
  return rows[0]?.name ?? null;
}

/** Cached per request, so an object page's layout and tab read the object once. */
export const readObjectView = cache(async (uid: string): Promise<ObjectView | null> => {
  if (!isUid(uid)) return null;
  const pool = getPool();
  const { rows } = await pool.query<ResourceRow & { pod_status: string | null }>(
    `SELECT r.*, CASE WHEN r.kind = 'Pod' THEN ${POD_STATUS_SQL} END AS pod_status FROM resources r WHERE r.uid = $1`,
    [uid],
  );
  const row = rows[0];
  if (!row) return null;
  const own = {
    uid: row.uid,
    apiVersion: row.api_version,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    labels: row.labels,
    annotations: row.annotations,
    finalizers: row.finalizers,
    ownerReferences: row.owner_references,
    generation: Number(row.generation),
    resourceVersion: row.resource_version,
    creationTimestamp: row.creation_timestamp.toISOString(),
    deletionTimestamp: row.deletion_timestamp?.toISOString() ?? null,
    spec: row.spec,
    status: row.status,
  };
  const [related, stats, activeTask, ownership, printerFacts, folder] = await Promise.all([
    readRelated(row),
    readStats(row),
    readActiveTask(uid),
    readOwnership(row),
    isCustomResourceKind(row.kind) ? readPrinterFacts(row.kind, toKubernetesObject(own)) : [],
    row.kind === "Folder" ? readFolderSummary(row.uid) : null,
  ]);
  return {
    ...own,
    related,
    ...ownership,
    printerFacts,
    stats: folder ? { folders: folder.folders, members: folder.members, membersBelow: folder.membersBelow } : stats,
    podStatus: row.pod_status,
    activeTask,
    ...(folder && { folderPath: `${folder.datacenter} / ${folder.path}` }),
  };
});

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The names an object refers to, by role; the datacenter is found through the cluster. */
function referencedNames(row: ResourceRow): [role: string, kind: Kind, name: string | undefined][] {
  const { spec, status, labels } = row;
  switch (row.kind) {
    case "Cluster":
      return [["datacenter", "Datacenter", text(spec.datacenter)]];
    case "Host":
      return [["cluster", "Cluster", text(spec.cluster)]];
    case "Datastore":
    case "Network":
      return [["datacenter", "Datacenter", text(spec.datacenter)], ["cluster", "Cluster", labels["skylight.io/cluster"]]];
    case "Namespace":
      return [["cluster", "Cluster", text(spec.cluster)]];
    case "Folder":
      return [["datacenter", "Datacenter", text(spec.datacenter)]];
    case "VirtualMachine":
      return [
        ["cluster", "Cluster", labels["skylight.io/cluster"]],
        ["host", "Host", text(status.host)],
        ["datastore", "Datastore", text(spec.storageClass)],
        ["class", "VirtualMachineClass", text(spec.className)],
        ["image", "VirtualMachineImage", text(spec.imageName)],
      ];
    case "Pod":
      return [["host", "Host", text(spec.nodeName)]];
    case "VirtualMachineImage":
      // A template made by Clone to Template names where its source VM lived.
      return [["cluster", "Cluster", labels["skylight.io/cluster"] || undefined], ["namespace", "Namespace", labels["skylight.io/namespace"]]];
    default:
      return [];
  }
}

async function readRelated(row: ResourceRow): Promise<Record<string, ObjectLink>> {
  const references = referencedNames(row).filter((reference): reference is [string, Kind, string] => reference[2] !== undefined);
  if (row.namespace) references.push(["namespace", "Namespace", row.namespace]);
  if (references.length === 0) return {};
  const { rows } = await getPool().query<ObjectLink & { role: string }>(
    `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS w(role, kind, name)),
          direct AS (
            SELECT w.role, r.uid::text, r.kind, r.name, r.namespace, r.spec
              FROM wanted w JOIN resources r ON r.kind = w.kind AND r.namespace = '' AND r.name = w.name)
     SELECT role, uid, kind, name, namespace FROM direct
     UNION ALL
     SELECT 'datacenter', d.uid::text, d.kind, d.name, d.namespace
       FROM direct c JOIN resources d ON d.kind = 'Datacenter' AND d.namespace = '' AND d.name = c.spec->>'datacenter'
      WHERE c.role = 'cluster' AND NOT EXISTS (SELECT 1 FROM wanted WHERE role = 'datacenter')`,
    [references.map((reference) => reference[0]), references.map((reference) => reference[1]), references.map((reference) => reference[2])],
  );
  return Object.fromEntries(rows.map(({ role, ...link }) => [role, link]));
}

export const DEPENDENTS_SHOWN = 20;

/**
 * Owners and dependents through ownerReferences: an operator's object and the VMs it made link to
 * each other. A namespace's reference from each of its VMs is the namespace controller's
 * bookkeeping, not ownership a reader thinks of, so it is left out both ways.
 */
async function readOwnership(row: ResourceRow): Promise<Pick<ObjectView, "owners" | "dependents" | "dependentCount">> {
  const ownerUids = (row.owner_references as { kind?: string; uid?: string }[])
    .filter((reference) => reference.kind !== "Namespace" && typeof reference.uid === "string" && isUid(reference.uid))
    .map((reference) => reference.uid!);
  const pool = getPool();
  const [owners, dependents] = await Promise.all([
    ownerUids.length === 0
      ? { rows: [] }
      : pool.query<ObjectLink>(`SELECT uid::text, kind, name, namespace FROM resources WHERE uid = ANY($1::uuid[]) ORDER BY kind, name`, [ownerUids]),
    row.kind === "Namespace"
      ? { rows: [] }
      : pool.query<ObjectLink & { total: number }>(
          `SELECT uid::text, kind, name, namespace, count(*) OVER ()::int AS total FROM resources
            WHERE owner_references @> jsonb_build_array(jsonb_build_object('uid', $1::text)) ORDER BY kind, name LIMIT ${DEPENDENTS_SHOWN}`,
          [row.uid],
        ),
  ]);
  return {
    owners: owners.rows,
    dependents: dependents.rows.map(({ total: _, ...link }) => link),
    dependentCount: dependents.rows[0]?.total ?? 0,
  };
}

async function readStats(row: ResourceRow): Promise<Record<string, number>> {
  const pool = getPool();
  const one = async (sql: string, values: unknown[]) => (await pool.query<Record<string, number>>(sql, values)).rows[0] ?? {};
  switch (row.kind) {
    case "Datacenter":
      return one(
        `WITH clusters AS (SELECT name FROM resources WHERE kind = 'Cluster' AND spec->>'datacenter' = $1)
         SELECT (SELECT count(*) FROM clusters)::int AS clusters,
                (SELECT count(*) FROM resources WHERE kind = 'Host' AND spec->>'cluster' IN (SELECT name FROM clusters))::int AS hosts,
                (SELECT count(*) FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' IN (SELECT name FROM clusters))::int AS vms,
                (SELECT count(*) FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' IN (SELECT name FROM clusters)
                    AND status->>'powerState' = 'PoweredOn')::int AS "vmsPoweredOn",
                (SELECT count(*) FROM resources WHERE kind = 'Datastore' AND spec->>'datacenter' = $1)::int AS datastores,
                (SELECT count(*) FROM resources WHERE kind = 'Network' AND spec->>'datacenter' = $1)::int AS networks`,
        [row.name],
      );
    case "Cluster":
      return one(
        `SELECT (SELECT count(*) FROM resources WHERE kind = 'Datastore' AND labels->>'skylight.io/cluster' = $1)::int AS datastores,
                (SELECT count(*) FROM resources WHERE kind = 'Namespace' AND spec->>'cluster' = $1)::int AS namespaces`,
        [row.name],
      );
    case "Host":
      return one(
        `SELECT count(r.uid)::int AS vms, count(r.uid) FILTER (WHERE r.status->>'powerState' = 'PoweredOn')::int AS "vmsPoweredOn",
                max(a.vcpus)::int AS "vcpusAllocated", max(a.cpu_cores)::int AS "cpuCores", max(a.cpu_mhz_per_core)::int AS "cpuMhzPerCore",
                max(a.memory_allocated_mib)::int AS "memoryAllocatedMiB", max(a.memory_mib)::int AS "memoryMiB"
           FROM host_allocations a LEFT JOIN resources r ON r.kind = 'VirtualMachine' AND r.status->>'host' = a.host
          WHERE a.host = $1`,
        [row.name],
      );
    case "Datastore":
      return one(
        `SELECT count(*)::int AS vms, COALESCE(sum((status->'hardware'->>'diskGiB')::int), 0)::int AS "provisionedGiB"
           FROM resources WHERE kind = 'VirtualMachine' AND spec->>'storageClass' = $1`,
        [row.name],
      );
    case "Pod":
      // What its host last measured (metrics.k8s.io PodMetrics' source); nothing before it runs.
      return one(`SELECT round(cpu_nano_cores / 1e6)::int AS "cpuMillicores", round(memory_bytes / 1048576)::int AS "memoryMiB" FROM pod_metrics WHERE pod_uid = $1`, [row.uid]);
    case "Namespace":
      return one(
        `SELECT count(*) FILTER (WHERE kind = 'VirtualMachine')::int AS vms,
                count(*) FILTER (WHERE kind = 'VirtualMachine' AND status->>'powerState' = 'PoweredOn')::int AS "vmsPoweredOn",
                count(*) FILTER (WHERE kind = 'Pod')::int AS pods,
                count(*) FILTER (WHERE kind = 'Pod' AND status->>'phase' = 'Running')::int AS "podsRunning",
                count(*) FILTER (WHERE kind = 'Deployment')::int AS deployments
           FROM resources WHERE kind IN ('VirtualMachine', 'Pod', 'Deployment') AND namespace = $1`,
        [row.name],
      );
    default:
      return {};
  }
}

async function readActiveTask(uid: string): Promise<ActiveTask | null> {
  const { rows } = await getPool().query<{ id: string; description: string; state: string; progress: number; progress_message: string | null }>(
    `SELECT id::text, description, state, progress, progress_message FROM tasks
      WHERE target_uid = $1 AND state IN ('queued', 'running') ORDER BY queued_at DESC LIMIT 1`,
    [uid],
  );
  const task = rows[0];
  return task ? { id: task.id, description: task.description, state: task.state, progress: task.progress, progressMessage: task.progress_message } : null;
}
