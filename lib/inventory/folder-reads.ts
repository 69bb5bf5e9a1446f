// Read model of folders: a datacenter's VM or host folders with their paths (for Move To and Move
// To Folder), and one folder's Summary (its path, the folders in it, and the VMs or clusters in it
// and below it).
import "server-only";
import { EVERYTHING, visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { folderTypeSql, type FolderType } from "@/lib/inventory/folder-rules";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export interface FolderChoice {
  uid: string;
  name: string;
  /** From the datacenter down: "Production / Web". */
  path: string;
  /** The uids from the top folder down to this one, itself included. */
  lineage: string[];
}

/**
 * Walks every folder of one type ($2) of a datacenter ($1) from the top, carrying its path and
 * lineage; depth is bounded so a damaged row cannot loop.
 */
const FOLDER_TREE_SQL = `
  WITH RECURSIVE tree AS (
    SELECT r.uid, r.name, r.name::text AS path, ARRAY[r.uid::text] AS lineage FROM resources r
     WHERE r.kind = 'Folder' AND r.spec->>'datacenter' = $1 AND ${folderTypeSql("r")} = $2 AND r.spec->>'parent' IS NULL
    UNION ALL
    SELECT f.uid, f.name, tree.path || ' / ' || f.name, tree.lineage || f.uid::text FROM resources f JOIN tree ON f.spec->>'parent' = tree.uid::text
     WHERE f.kind = 'Folder' AND ${folderTypeSql("f")} = $2 AND cardinality(tree.lineage) < 64)`;

export async function readDatacenterFolders(datacenter: string, type: FolderType): Promise<FolderChoice[]> {
  const { rows } = await getPool().query<FolderChoice>(`${FOLDER_TREE_SQL} SELECT uid::text, name, path, lineage FROM tree ORDER BY path LIMIT 2000`, [datacenter, type]);
  return rows;
}

export interface FolderSummary {
  datacenter: string;
  type: FolderType;
  path: string;
  /** Folders directly in it. */
  folders: number;
  /** What it holds (VMs in a VM folder, clusters in a host folder) directly in it, and in it and every folder below it. */
  members: number;
  membersBelow: number;
}

/** The folder's place and counts; a reader who sees part of the inventory counts only the folders and members they see. */
export async function readFolderSummary(uid: string, access: AccessScope = EVERYTHING): Promise<FolderSummary | null> {
  const { rows } = await getPool().query<{ datacenter: string; type: FolderType }>(
    `SELECT r.spec->>'datacenter' AS datacenter, ${folderTypeSql("r")} AS type FROM resources r WHERE r.uid = $1::uuid AND r.kind = 'Folder'`,
    [uid],
  );
  if (!rows[0]) return null;
  const { datacenter, type } = rows[0];
  const memberKind = type === "host" ? "Cluster" : "VirtualMachine";
  const values: unknown[] = [datacenter, type, uid, memberKind];
  const visible = visibilitySql(access, { kind: "r.kind", namespace: "r.namespace", name: "r.name", labels: "r.labels" }, (value) => `$${values.push(value)}`);
  const { rows: counted } = await getPool().query<Omit<FolderSummary, "datacenter" | "type">>(
    `${FOLDER_TREE_SQL}, self AS (SELECT path FROM tree WHERE uid::text = $3::text), below AS (SELECT uid::text FROM tree WHERE $3::text = ANY(lineage))
     SELECT (SELECT path FROM self) AS path,
            (SELECT count(*)::int FROM resources r WHERE r.kind = 'Folder' AND r.spec->>'parent' = $3::text AND ${visible}) AS folders,
            (SELECT count(*)::int FROM resources r WHERE r.kind = $4 AND r.labels->>'${FOLDER_LABEL}' = $3::text AND ${visible}) AS members,
            (SELECT count(*)::int FROM resources r WHERE r.kind = $4 AND r.labels->>'${FOLDER_LABEL}' IN (SELECT uid FROM below) AND ${visible}) AS "membersBelow"`,
    values,
  );
  return { datacenter, type, ...counted[0]! };
}

/** The folders a VM of `cluster` may move to: the VM folders of the cluster's datacenter. */
export async function readClusterFolders(cluster: string | undefined): Promise<FolderChoice[]> {
  if (!cluster) return [];
  const { rows } = await getPool().query<{ datacenter: string }>(`SELECT spec->>'datacenter' AS datacenter FROM resources WHERE kind = 'Cluster' AND name = $1`, [cluster]);
  return rows[0] ? readDatacenterFolders(rows[0].datacenter, "vm") : [];
}
