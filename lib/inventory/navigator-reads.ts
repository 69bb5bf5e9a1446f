// Read model of the navigator: one level of one view's tree at a time (the children of a node,
// with each child's state and health rolled up from host states and triggered alarms), one child
// of a crowded level, the ancestry of an object in a view so a deep link can expand the path to
// it and show it, and the view each user last chose. VM folders show in VMs and Templates, host
// folders (holding clusters) in Hosts and Clusters, both only to those who see the whole inventory.
import { canSee, visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { CUSTOM_KINDS_SQL } from "@/lib/inventory/custom-kinds-sql";
import { isCustomResourceKind, type Kind, type PageKind } from "@/lib/inventory/kinds";
import {
  CHILD_LIMIT,
  isNavigatorView,
  NAVIGATOR_VIEW_PREFERENCE,
  type Health,
  type NavigatorChildren,
  type NavigatorNode,
  type NavigatorView,
  type NodeState,
} from "@/lib/inventory/navigator-views";
import { readAlarmHealth, withAlarms } from "@/lib/inventory/alarm-health";
import { readUserPreference } from "@/lib/preferences/user-preferences";
import { folderTypeSql, type FolderType } from "@/lib/inventory/folder-rules";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

interface NodeRow {
  uid: string;
  kind: PageKind;
  name: string;
  namespace: string | null;
  state: NodeState | null;
  hosts: number | null;
  hosts_down: number | null;
  clusters_red: number | null;
  clusters_yellow: number | null;
  expandable: boolean;
}

// A host counts as down when the engine has declared it not responding or lost it altogether;
// a cluster is red when all its hosts are down and yellow when some are, as its controller says.
const HOST_STATE_SQL = `CASE WHEN (h.status->>'inMaintenanceMode')::boolean THEN 'maintenance' ELSE h.status->>'connectionState' END`;
const HOST_DOWN_SQL = `h.status->>'connectionState' IN ('notResponding', 'disconnected')`;
const CLUSTER_HOSTS_SQL = `
  SELECT h.spec->>'cluster' AS cluster, count(*)::int AS hosts, count(*) FILTER (WHERE ${HOST_DOWN_SQL})::int AS hosts_down
    FROM resources h WHERE h.kind = 'Host' GROUP BY 1`;

function clusterHealth(hosts: number, down: number): { health: Health; reason: string | null } {
  if (down === 0) return { health: "green", reason: null };
  if (down >= hosts) return { health: "red", reason: `All ${hosts} hosts are not responding` };
  return { health: "yellow", reason: `${down} of ${hosts} hosts not responding` };
}

function toNode(row: NodeRow): NavigatorNode {
  const node = { uid: row.uid, kind: row.kind, name: row.name, namespace: row.namespace, state: row.state, expandable: row.expandable };
  if (row.kind === "Cluster") {
    const { health, reason } = clusterHealth(row.hosts ?? 0, row.hosts_down ?? 0);
    return { ...node, health, healthReason: reason };
  }
  if (row.kind === "Datacenter") {
    const red = row.clusters_red ?? 0;
    const yellow = row.clusters_yellow ?? 0;
    if (red > 0) return { ...node, health: "red", healthReason: `${red} ${red === 1 ? "cluster has" : "clusters have"} no responding hosts` };
    if (yellow > 0) return { ...node, health: "yellow", healthReason: `${yellow} ${yellow === 1 ? "cluster has" : "clusters have"} hosts not responding` };
    return { ...node, health: "green", healthReason: null };
  }
  if (row.kind === "Host") {
    const down = row.state === "notResponding" || row.state === "disconnected";
    return { ...node, health: down ? "red" : "green", healthReason: down ? (row.state === "notResponding" ? "Not responding" : "Disconnected") : null };
  }
  if (row.kind === "Datastore") return { ...node, health: "green", healthReason: null };
  return { ...node, health: null, healthReason: null };
}

const EMPTY_ROW = { namespace: null, state: null, hosts: null, hosts_down: null, clusters_red: null, clusters_yellow: null };

interface Select {
  sql: string;
  orderBy: string;
  values: unknown[];
}

async function firstPage(select: Select): Promise<NodeRow[]> {
  const rows = await prisma.$queryRawUnsafe<Partial<NodeRow>[]>(`${select.sql} ORDER BY ${select.orderBy} LIMIT ${CHILD_LIMIT + 1}`, ...select.values);
  return rows.map((row) => ({ ...EMPTY_ROW, ...row }) as NodeRow);
}

async function countAll(select: Select): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM (${select.sql}) AS children`, ...select.values);
  return row?.count ?? 0;
}

const datacenters = (): Select => ({
  sql: `WITH cluster_hosts AS (${CLUSTER_HOSTS_SQL})
        SELECT d.uid::text, d.kind, d.name, true AS expandable,
               count(*) FILTER (WHERE ch.hosts > 0 AND ch.hosts_down >= ch.hosts)::int AS clusters_red,
               count(*) FILTER (WHERE ch.hosts_down > 0 AND ch.hosts_down < ch.hosts)::int AS clusters_yellow
          FROM resources d
          LEFT JOIN resources c ON c.kind = 'Cluster' AND c.spec->>'datacenter' = d.name
          LEFT JOIN cluster_hosts ch ON ch.cluster = c.name
         WHERE d.kind = 'Datacenter'
         GROUP BY d.uid, d.kind, d.name`,
  orderBy: "name",
  values: [],
});

/** The clusters `where` names (on `c`); all of them without it. */
function clusters(expandableWhen: "hosts" | "namespaces", where = "TRUE", ...values: unknown[]): Select {
  const expandable = expandableWhen === "hosts"
    ? "COALESCE(ch.hosts, 0) > 0"
    : "EXISTS (SELECT 1 FROM resources n WHERE n.kind = 'Namespace' AND n.spec->>'cluster' = c.name)";
  return {
    sql: `WITH cluster_hosts AS (${CLUSTER_HOSTS_SQL})
          SELECT c.uid::text, c.kind, c.name, COALESCE(ch.hosts, 0) AS hosts, COALESCE(ch.hosts_down, 0) AS hosts_down, ${expandable} AS expandable
            FROM resources c LEFT JOIN cluster_hosts ch ON ch.cluster = c.name
           WHERE c.kind = 'Cluster' AND ${where}`,
    orderBy: "name",
    values,
  };
}

// The cluster's VMs are found through their cluster label's index and grouped by host in one
// pass, so a 64-host cluster expands with one scan of its own VMs; its pods likewise.
const hostsOfCluster = (cluster: string): Select => ({
  sql: `WITH vms_by_host AS (
          SELECT status->>'host' AS host, count(*)::int AS vms FROM resources
           WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1 GROUP BY 1),
        pods_by_host AS (
          SELECT spec->>'nodeName' AS host, count(*)::int AS pods FROM resources
           WHERE kind = 'Pod' AND labels->>'skylight.io/cluster' = $1 GROUP BY 1)
        SELECT h.uid::text, h.kind, h.name, ${HOST_STATE_SQL} AS state, COALESCE(v.vms, 0) + COALESCE(p.pods, 0) > 0 AS expandable
          FROM resources h LEFT JOIN vms_by_host v ON v.host = h.name LEFT JOIN pods_by_host p ON p.host = h.name
         WHERE h.kind = 'Host' AND h.spec->>'cluster' = $1`,
  orderBy: "name",
  values: [cluster],
});

const VM_STATE_SQL = `CASE status->>'powerState' WHEN 'PoweredOn' THEN 'poweredOn' WHEN 'Suspended' THEN 'suspended' ELSE 'poweredOff' END`;

const vms = (where: string, ...values: unknown[]): Select => ({
  sql: `SELECT uid::text, kind, name, namespace, ${VM_STATE_SQL} AS state, false AS expandable
          FROM resources WHERE kind = 'VirtualMachine' AND ${where}`,
  orderBy: "name, namespace",
  values,
});

// Pods show after the VMs, as vSphere Pods do beside VMs in the vSphere Client.
const pods = (where: string, ...values: unknown[]): Select => ({
  sql: `SELECT uid::text, kind, name, namespace, NULL::text AS state, false AS expandable
          FROM resources WHERE kind = 'Pod' AND ${where}`,
  orderBy: "name, namespace",
  values,
});

// Templates made from a namespace's VMs (Clone to Template) show beside them, as vSphere shows
// templates in the folder of the VM they came from.
const templates = (namespace: string): Select => ({
  sql: `SELECT uid::text, kind, name, NULL::text AS namespace, NULL::text AS state, false AS expandable
          FROM resources WHERE kind = 'VirtualMachineImage' AND labels->>'skylight.io/template' = 'true' AND labels->>'skylight.io/namespace' = $1`,
  orderBy: "name",
  values: [namespace],
});

// An operator's objects (PostgresInstances, say) follow the namespace's VMs and pods, grouped by kind.
const customResources = (namespace: string): Select => ({
  sql: `SELECT uid::text, kind, name, namespace, NULL::text AS state, false AS expandable
          FROM resources WHERE kind IN (${CUSTOM_KINDS_SQL}) AND namespace = $1`,
  orderBy: "kind, name",
  values: [namespace],
});

/** The folders each view shows: VM folders in VMs and Templates, host folders in Hosts and Clusters. */
const FOLDER_TYPE_OF_VIEW: Partial<Record<NavigatorView, FolderType>> = { "vms-and-templates": "vm", "hosts-and-clusters": "host" };
const MEMBER_KIND: Record<FolderType, Kind> = { vm: "VirtualMachine", host: "Cluster" };

// Folders come first under a datacenter or folder, as in the vSphere Client; a folder opens when
// it holds a folder or what its type holds (a VM, a cluster).
const folders = (type: FolderType, where: string, ...values: unknown[]): Select => ({
  sql: `SELECT f.uid::text, f.kind, f.name,
               EXISTS (SELECT 1 FROM resources s WHERE s.kind = 'Folder' AND s.spec->>'parent' = f.uid::text)
               OR EXISTS (SELECT 1 FROM resources m WHERE m.kind = '${MEMBER_KIND[type]}' AND m.labels->>'${FOLDER_LABEL}' = f.uid::text) AS expandable
          FROM resources f WHERE f.kind = 'Folder' AND ${folderTypeSql("f")} = '${type}' AND ${where}`,
  orderBy: "name",
  values,
});

/** VMs and clusters in a folder show under it instead of their namespace or datacenter, to those who see folders. */
const FOLDER_LABEL_SQL = `labels->>'${FOLDER_LABEL}'`;
const NOT_IN_FOLDER = `${FOLDER_LABEL_SQL} IS NULL`;

/** The VMs a namespace's node holds for the reader: those in none of the folders they see. */
function namespaceVms(namespace: string, seen: SeenFolders): Select {
  if (seen === null) return vms(`namespace = $1 AND ${NOT_IN_FOLDER}`, namespace);
  return seen.length === 0 ? vms(`namespace = $1`, namespace) : vms(`namespace = $1 AND (${NOT_IN_FOLDER} OR ${FOLDER_LABEL_SQL} <> ALL($2::text[]))`, namespace, seen);
}

const namespaces = (where: string, ...values: unknown[]): Select => ({
  sql: `SELECT n.uid::text, n.kind, n.name,
               EXISTS (SELECT 1 FROM resources v WHERE v.kind IN ('VirtualMachine', 'Pod') AND v.namespace = n.name)
               OR EXISTS (SELECT 1 FROM resources c WHERE c.kind IN (${CUSTOM_KINDS_SQL}) AND c.namespace = n.name) AS expandable
          FROM resources n WHERE n.kind = 'Namespace' AND ${where}`,
  orderBy: "name",
  values,
});

function leaves(kind: "Datastore" | "Network", datacenter: string): Select {
  return {
    sql: `SELECT uid::text, kind, name, false AS expandable FROM resources WHERE kind = $1 AND spec->>'datacenter' = $2`,
    orderBy: "name",
    values: [kind, datacenter],
  };
}

interface Parent {
  uid: string;
  kind: Kind;
  name: string;
  namespace: string;
  cluster: string | null;
  /** A folder's type. */
  folderType: FolderType;
}

async function readParent(uid: string): Promise<Parent | null> {
  if (!/^[0-9a-f-]{36}$/i.test(uid)) return null;
  const [row] = await prisma.$queryRawUnsafe<Parent[]>(
    `SELECT r.uid::text, r.kind, r.name, r.namespace, COALESCE(r.spec->>'cluster', r.labels->>'skylight.io/cluster') AS cluster, ${folderTypeSql("r")} AS "folderType"
       FROM resources r WHERE r.uid = $1::uuid`,
    uid,
  );
  return row ?? null;
}

interface Level {
  childKind: Kind;
  /** Shown in this order, one after the other. */
  selects: Select[];
  /** The parent's object-page tab that lists all of them. */
  listTab?: string;
}

/**
 * The folders the reader sees (uids): null for all of them (whoever sees the whole inventory). A
 * VM in one of them shows under it; any other VM shows under its namespace, and a reader who sees
 * no folder sees none in the tree.
 */
type SeenFolders = readonly string[] | null;
const seenFoldersOf = (access: AccessScope): SeenFolders => (access.all ? null : access.seenFolderUids);
const seesFolder = (seen: SeenFolders, uid: string) => seen === null || seen.includes(uid);

/**
 * The folder type a view shows this reader: VM folders to anyone a folder permission reaches (and
 * to the whole inventory's readers), host folders only to the whole inventory's readers.
 */
function foldersShownIn(view: NavigatorView, seen: SeenFolders): FolderType | undefined {
  const type = FOLDER_TYPE_OF_VIEW[view];
  if (type === "host") return seen === null ? type : undefined;
  return type && (seen === null || seen.length > 0) ? type : undefined;
}

function level(view: NavigatorView, parent: Parent | null, seen: SeenFolders): Level | null {
  const showsFolders = foldersShownIn(view, seen) !== undefined;
  if (!parent) {
    return view === "namespaces"
      ? { childKind: "Cluster", selects: [clusters("namespaces")] }
      : { childKind: "Datacenter", selects: [datacenters()] };
  }
  // A folder shows only in the view of its type.
  if (parent.kind === "Folder" && (!showsFolders || FOLDER_TYPE_OF_VIEW[view] !== parent.folderType)) return null;
  switch (`${view}:${parent.kind}`) {
    case "hosts-and-clusters:Datacenter": {
      const inDatacenter = `c.spec->>'datacenter' = $1`;
      return {
        childKind: "Cluster",
        selects: showsFolders
          ? [folders("host", `f.spec->>'datacenter' = $1 AND f.spec->>'parent' IS NULL`, parent.name), clusters("hosts", `${inDatacenter} AND c.${NOT_IN_FOLDER}`, parent.name)]
          : [clusters("hosts", inDatacenter, parent.name)],
      };
    }
    case "hosts-and-clusters:Folder":
      return { childKind: "Cluster", selects: [folders("host", `f.spec->>'parent' = $1`, parent.uid), clusters("hosts", `c.${FOLDER_LABEL_SQL} = $1`, parent.uid)] };
    case "hosts-and-clusters:Cluster":
      // VMs still waiting for placement belong to the cluster but to no host yet.
      return {
        childKind: "Host",
        selects: [hostsOfCluster(parent.name), vms(`labels->>'skylight.io/cluster' = $1 AND status->>'host' IS NULL`, parent.name)],
        listTab: "hosts",
      };
    case "hosts-and-clusters:Host":
      return {
        childKind: "VirtualMachine",
        selects: [vms(`labels->>'skylight.io/cluster' = $1 AND status->>'host' = $2`, parent.cluster, parent.name), pods(`spec->>'nodeName' = $1`, parent.name)],
        listTab: "vms",
      };
    case "vms-and-templates:Datacenter": {
      const inDatacenter = namespaces(`n.spec->>'cluster' IN (SELECT c.name FROM resources c WHERE c.kind = 'Cluster' AND c.spec->>'datacenter' = $1)`, parent.name);
      const topFolders = folders("vm", `f.spec->>'datacenter' = $1 AND f.spec->>'parent' IS NULL`, parent.name);
      // A developer's own namespaces are in their Namespaces tree; here, only the folders that reach them.
      if (seen !== null && showsFolders) return { childKind: "Folder", selects: [topFolders] };
      return { childKind: "Namespace", selects: showsFolders ? [topFolders, inDatacenter] : [inDatacenter] };
    }
    case "vms-and-templates:Folder":
      return { childKind: "VirtualMachine", selects: [folders("vm", `f.spec->>'parent' = $1`, parent.uid), vms(`${FOLDER_LABEL_SQL} = $1`, parent.uid)], listTab: "vms" };
    case "namespaces:Cluster":
      return { childKind: "Namespace", selects: [namespaces(`n.spec->>'cluster' = $1`, parent.name)] };
    case "vms-and-templates:Namespace":
      return {
        childKind: "VirtualMachine",
        selects: [namespaceVms(parent.name, seen), templates(parent.name), pods(`namespace = $1`, parent.name), customResources(parent.name)],
        listTab: "vms",
      };
    case "namespaces:Namespace":
      return { childKind: "VirtualMachine", selects: [vms(`namespace = $1`, parent.name), pods(`namespace = $1`, parent.name), customResources(parent.name)], listTab: "vms" };
    case "storage:Datacenter":
      return { childKind: "Datastore", selects: [leaves("Datastore", parent.name)], listTab: "datastores" };
    case "networking:Datacenter":
      return { childKind: "Network", selects: [leaves("Network", parent.name)], listTab: "networks" };
    default:
      return null;
  }
}

/** Only the children the reader may see. */
function visibleOnly(select: Select, access: AccessScope): Select {
  if (access.all) return select;
  const values = [...select.values];
  const visible = visibilitySql(access, { kind: "r.kind", namespace: "r.namespace", name: "r.name", labels: "r.labels" }, (value) => {
    values.push(value);
    return `$${values.length}`;
  });
  return { ...select, values, sql: `SELECT * FROM (${select.sql}) AS child WHERE child.uid::uuid IN (SELECT r.uid FROM resources r WHERE ${visible})` };
}

/**
 * The children of `parentUid` in `view` (its roots without a parent) that `access` lets the
 * reader see, or null when it has none there or the parent is not theirs to see.
 */
export async function readNavigatorChildren(view: NavigatorView, parentUid: string | null, access: AccessScope): Promise<NavigatorChildren | null> {
  const parent = parentUid === null ? null : await readParent(parentUid);
  if (parentUid !== null && (!parent || !canSee(access, parent))) return null;
  const shown = level(view, parent, seenFoldersOf(access));
  if (!shown) return null;
  const found = { ...shown, selects: shown.selects.map((select) => visibleOnly(select, access)) };
  const [alarms, ...pages] = await Promise.all([readAlarmHealth(), ...found.selects.map(firstPage)]);
  // Counting is a second pass over the children, so it runs only when the first page is full.
  const counts = await Promise.all(pages.map((rows, index) => (rows.length > CHILD_LIMIT ? countAll(found.selects[index]!) : rows.length)));
  const total = counts.reduce((sum, count) => sum + count, 0);
  return {
    childKind: found.childKind,
    nodes: pages.flat().slice(0, CHILD_LIMIT).map((row) => withAlarms(toNode(row), alarms)),
    total,
    showAllHref: total > CHILD_LIMIT && parent && found.listTab ? `/objects/${parent.uid}/${found.listTab}` : null,
  };
}

/**
 * One child of `parentUid` in `view`, when the reader may see it there: the row a deep link
 * selects, shown even when it is not among the first CHILD_LIMIT children.
 */
export async function readNavigatorChild(view: NavigatorView, parentUid: string, childUid: string, access: AccessScope): Promise<NavigatorNode | null> {
  const parent = await readParent(parentUid);
  if (!parent || !canSee(access, parent)) return null;
  const shown = level(view, parent, seenFoldersOf(access));
  if (!shown) return null;
  const [alarms, ...matches] = await Promise.all([readAlarmHealth(), ...shown.selects.map((select) => onlyChild(visibleOnly(select, access), childUid))]);
  const row = matches.flat()[0];
  return row ? withAlarms(toNode(row), alarms) : null;
}

async function onlyChild(select: Select, uid: string): Promise<NodeRow[]> {
  const rows = await prisma.$queryRawUnsafe<Partial<NodeRow>[]>(`SELECT * FROM (${select.sql}) AS child WHERE child.uid = $${select.values.length + 1}`, ...select.values, uid);
  return rows.map((row) => ({ ...EMPTY_ROW, ...row }) as NodeRow);
}

interface Located {
  uid: string;
  kind: PageKind;
  name: string;
  namespace: string;
  cluster: string | null;
  datacenter: string | null;
  host: string | null;
  /** A template's: the namespace of the VM it was made from. */
  templateNamespace: string | null;
  /** A VM's or cluster's folder, or a folder's parent folder (uids). */
  folder: string | null;
  /** A folder's type. */
  folderType: FolderType;
}

async function locate(where: string, ...values: unknown[]): Promise<Located | null> {
  const [row] = await prisma.$queryRawUnsafe<Located[]>(
    `SELECT uid::text, kind, name, namespace,
            COALESCE(spec->>'cluster', labels->>'skylight.io/cluster') AS cluster,
            spec->>'datacenter' AS datacenter, COALESCE(status->>'host', spec->>'nodeName') AS host, labels->>'skylight.io/namespace' AS "templateNamespace",
            COALESCE(labels->>'${FOLDER_LABEL}', spec->>'parent') AS folder, ${folderTypeSql("resources")} AS "folderType"
       FROM resources WHERE ${where} LIMIT 1`,
    ...values,
  );
  return row ?? null;
}

const byName = (kind: Kind, name: string | null, namespace = "") =>
  name === null ? Promise.resolve(null) : locate(`kind = $1 AND namespace = $2 AND name = $3`, kind, namespace, name);

const byUid = (uid: string) => locate(`uid = $1::uuid`, uid);

async function parentOf(view: NavigatorView, object: Located, seen: SeenFolders): Promise<Located | null> {
  const foldersShown = foldersShownIn(view, seen);
  if (object.kind === "Folder") {
    if (foldersShown !== object.folderType) return null;
    if (object.folder) return seesFolder(seen, object.folder) ? byUid(object.folder) : null;
    return byName("Datacenter", object.datacenter);
  }
  if (foldersShown && object.folder && seesFolder(seen, object.folder) && object.kind === MEMBER_KIND[foldersShown]) return byUid(object.folder);
  if (isCustomResourceKind(object.kind)) return object.namespace && (view === "vms-and-templates" || view === "namespaces") ? byName("Namespace", object.namespace) : null;
  switch (`${view}:${object.kind}`) {
    case "hosts-and-clusters:VirtualMachine":
      return (await byName("Host", object.host)) ?? byName("Cluster", object.cluster);
    case "hosts-and-clusters:Pod":
      return byName("Host", object.host);
    case "hosts-and-clusters:Host":
      return byName("Cluster", object.cluster);
    case "hosts-and-clusters:Cluster":
    case "storage:Datastore":
    case "networking:Network":
      return byName("Datacenter", object.datacenter);
    case "vms-and-templates:VirtualMachine":
    case "namespaces:VirtualMachine":
    case "vms-and-templates:Pod":
    case "namespaces:Pod":
      return byName("Namespace", object.namespace);
    case "vms-and-templates:VirtualMachineImage":
      return byName("Namespace", object.templateNamespace);
    case "vms-and-templates:Namespace": {
      if (seen !== null && seen.length > 0) return null;
      const cluster = await byName("Cluster", object.cluster);
      return cluster && byName("Datacenter", cluster.datacenter);
    }
    case "namespaces:Namespace":
      return byName("Cluster", object.cluster);
    default:
      return null;
  }
}

const ROOT_KIND: Record<NavigatorView, Kind> = {
  "hosts-and-clusters": "Datacenter",
  "vms-and-templates": "Datacenter",
  storage: "Datacenter",
  networking: "Datacenter",
  namespaces: "Cluster",
};

/** The uids from the view's root down to the object's parent, or null when the view does not show it. */
export async function readNavigatorPath(view: NavigatorView, uid: string, access: AccessScope): Promise<string[] | null> {
  if (!/^[0-9a-f-]{36}$/i.test(uid)) return null;
  let current = await byUid(uid);
  if (current && !canSee(access, current)) return null;
  const ancestors: string[] = [];
  while (current && current.kind !== ROOT_KIND[view]) {
    current = await parentOf(view, current, seenFoldersOf(access));
    if (current) ancestors.unshift(current.uid);
  }
  return current ? ancestors : null;
}

export async function readNavigatorViewPreference(userId: string): Promise<NavigatorView> {
  const view = await readUserPreference(userId, NAVIGATOR_VIEW_PREFERENCE);
  return isNavigatorView(view) ? view : "hosts-and-clusters";
}
