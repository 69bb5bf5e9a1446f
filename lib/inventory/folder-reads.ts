// Read model of VM folders: a datacenter's folders with their paths (for Move To and Move To
// Folder), and one folder's Summary (its path, the folders and VMs in it and below it).
import "server-only";
import { EVERYTHING, visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export interface FolderChoice {
  uid: string;
  name: string;
  /** From the datacenter down: "Production / Web". */
  path: string;
  /** The uids from the top folder down to this one, itself included. */
  lineage: string[];
}

/** Walks every folder of a datacenter from the top, carrying its path and lineage; depth is bounded so a damaged row cannot loop. */
const FOLDER_TREE_SQL = `
  WITH RECURSIVE tree AS (
    SELECT uid, name, name::text AS path, ARRAY[uid::text] AS lineage FROM resources
     WHERE kind = 'Folder' AND spec->>'datacenter' = $1 AND spec->>'parent' IS NULL
    UNION ALL
    SELECT f.uid, f.name, tree.path || ' / ' || f.name, tree.lineage || f.uid::text FROM resources f JOIN tree ON f.spec->>'parent' = tree.uid::text
     WHERE f.kind = 'Folder' AND cardinality(tree.lineage) < 64)`;

export async function readDatacenterFolders(datacenter: string): Promise<FolderChoice[]> {
  const { rows } = await getPool().query<FolderChoice>(`${FOLDER_TREE_SQL} SELECT uid::text, name, path, lineage FROM tree ORDER BY path LIMIT 2000`, [datacenter]);
  return rows;
}

export interface FolderSummary {
  datacenter: string;
  path: string;
  /** Folders directly in it. */
  folders: number;
  /** VMs directly in it, and in it and every folder below it. */
  vms: number;
  vmsBelow: number;
}

/** The folder's place and counts; a reader who sees part of the inventory counts only the folders and VMs they see. */
export async function readFolderSummary(uid: string, access: AccessScope = EVERYTHING): Promise<FolderSummary | null> {
  const { rows } = await getPool().query<{ datacenter: string }>(`SELECT spec->>'datacenter' AS datacenter FROM resources WHERE uid = $1::uuid AND kind = 'Folder'`, [uid]);
  if (!rows[0]) return null;
  const { datacenter } = rows[0];
  const values: unknown[] = [datacenter, uid];
  const visible = visibilitySql(access, { kind: "r.kind", namespace: "r.namespace", name: "r.name", labels: "r.labels" }, (value) => `$${values.push(value)}`);
  const { rows: counted } = await getPool().query<Omit<FolderSummary, "datacenter">>(
    `${FOLDER_TREE_SQL}, self AS (SELECT path FROM tree WHERE uid::text = $2::text), below AS (SELECT uid::text FROM tree WHERE $2::text = ANY(lineage))
     SELECT (SELECT path FROM self) AS path,
            (SELECT count(*)::int FROM resources r WHERE r.kind = 'Folder' AND r.spec->>'parent' = $2::text AND ${visible}) AS folders,
            (SELECT count(*)::int FROM resources r WHERE r.kind = 'VirtualMachine' AND r.labels->>'${FOLDER_LABEL}' = $2::text AND ${visible}) AS vms,
            (SELECT count(*)::int FROM resources r WHERE r.kind = 'VirtualMachine' AND r.labels->>'${FOLDER_LABEL}' IN (SELECT uid FROM below) AND ${visible}) AS "vmsBelow"`,
    values,
  );
  return { datacenter, ...counted[0]! };
}

/** The folders a VM of `cluster` may move to: those of the cluster's datacenter. */
export async function readClusterFolders(cluster: string | undefined): Promise<FolderChoice[]> {
  if (!cluster) return [];
  const { rows } = await getPool().query<{ datacenter: string }>(`SELECT spec->>'datacenter' AS datacenter FROM resources WHERE kind = 'Cluster' AND name = $1`, [cluster]);
  return rows[0] ? readDatacenterFolders(rows[0].datacenter) : [];
}
