// Datastore › Files (vSphere's Browse Files): the datastore's folders as the infrastructure lays
// them out, each VM's folder linked to its VM, with sizes. Operators and administrators only: a
// folder names VMs of every namespace that keeps disks there.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { getProvider } from "@/lib/engine/provider-registry";
import { readNameByUid, type ObjectLink } from "@/lib/inventory/object-view";
import type { DatastoreFile } from "@/lib/provider/provider";

export interface DatastoreFolderView {
  name: string;
  vm: ObjectLink | null;
  sizeBytes: number;
  files: DatastoreFile[];
}

export interface DatastoreFilesView {
  datastore: string;
  folders: DatastoreFolderView[];
  totalBytes: number;
}

/** The datastore's files, or null when there is no such datastore (in the inventory or the infrastructure). */
export async function readDatastoreFiles(uid: string): Promise<DatastoreFilesView | null> {
  const datastore = await readNameByUid("Datastore", uid);
  if (datastore === null) return null;
  const folders = await getProvider().browseDatastore(datastore);
  if (!folders) return null;
  const pool = getPool();
  const keys = folders.flatMap((folder) => (folder.vmOwnerKey ? [folder.vmOwnerKey] : []));
  const { rows } = await pool.query<ObjectLink & { key: string }>(
    `SELECT namespace || '/' || name AS key, uid::text, kind, name, namespace FROM resources
      WHERE kind = 'VirtualMachine' AND (namespace || '/' || name) = ANY($1::text[])`,
    [keys],
  );
  const vms = new Map(rows.map(({ key, ...link }) => [key, link]));
  const views = folders.map((folder) => ({
    name: folder.name,
    vm: folder.vmOwnerKey ? (vms.get(folder.vmOwnerKey) ?? null) : null,
    sizeBytes: folder.files.reduce((sum, file) => sum + file.sizeBytes, 0),
    files: folder.files,
  }));
  return { datastore, folders: views, totalBytes: views.reduce((sum, folder) => sum + folder.sizeBytes, 0) };
}
