// The simulated datastores' used space: every VM's disks (its boot disk and the ones added in Edit
// Settings), a delta disk for each of its snapshots (a tenth of the disk it was taken of) and the memory image of a snapshot that includes memory, plus
// the datastore's other files; and the hosts that mount each. One grouped read over sim_vms and
// sim_hosts, whatever the number of datastores.
import type { AddDatastoreRequest, DatastoreFile, DatastoreFolder, ProviderDatastore, VmDevices } from "@/lib/provider/provider";

interface Db {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const VM_USED_GIB = `v.disk_gib + (SELECT COALESCE(sum((d->>'capacityGiB')::int), 0) FROM jsonb_array_elements(v.devices->'disks') AS d) + CASE WHEN v.snapshots = '[]'::jsonb THEN 0 ELSE (
    SELECT COALESCE(sum(ceil((s->'hardware'->>'diskGiB')::numeric / 10)
                        + CASE WHEN (s->>'includesMemory')::boolean THEN ceil((s->'hardware'->>'memoryMiB')::numeric / 1024) ELSE 0 END), 0)
      FROM jsonb_array_elements(v.snapshots) AS s) END`;

const datastoresSql = (vmWhere: string, hostWhere: string, where: string) => `
  SELECT d.name, d.capacity_gib AS "capacityGiB", (d.other_used_gib + COALESCE(u.used, 0))::int AS "usedGiB", COALESCE(m.hosts, '{}') AS hosts
    FROM sim_datastores d
    LEFT JOIN (SELECT v.datastore, sum(${VM_USED_GIB})::int AS used FROM sim_vms v ${vmWhere} GROUP BY v.datastore) u ON u.datastore = d.name
    LEFT JOIN (SELECT mounted, array_agg(h.name ORDER BY h.name) AS hosts FROM sim_hosts h CROSS JOIN unnest(h.datastores) AS mounted ${hostWhere} GROUP BY mounted) m
      ON m.mounted = d.name
   ${where}
   ORDER BY d.name`;

const ALL = datastoresSql("", "", "");
const ONE = datastoresSql("WHERE v.datastore = $1", "WHERE $1 = ANY(h.datastores)", "WHERE d.name = $1");

/** Every datastore, or the one named, with its space used now (its VMs as last settled) and its hosts. */
export async function readDatastores(db: Db, name?: string): Promise<ProviderDatastore[]> {
  const { rows } = name === undefined ? await db.query<ProviderDatastore>(ALL) : await db.query<ProviderDatastore>(ONE, [name]);
  return rows;
}

export async function insertDatastore(db: Db, request: AddDatastoreRequest): Promise<void> {
  await db.query(`INSERT INTO sim_datastores (name, capacity_gib, other_used_gib) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
    request.name,
    request.capacityGiB,
    request.otherUsedGiB,
  ]);
}

const KiB = 1024;
const GiB = 1024 ** 3;

interface VmFilesRow {
  owner_key: string;
  memory_mib: number;
  disk_gib: number;
  devices: VmDevices;
  snapshots: { hardware: { diskGiB: number; memoryMiB: number }; includesMemory: boolean }[];
}

/** A VM's folder as ESXi lays it out; its disk and snapshot sizes are the ones its used space counts. */
function vmFolder(row: VmFilesRow): DatastoreFolder {
  const name = row.owner_key.slice(row.owner_key.indexOf("/") + 1);
  const snapshotFiles = row.snapshots.flatMap((snapshot, index): DatastoreFile[] => {
    const number = String(index + 1).padStart(6, "0");
    return [
      { name: `${name}-${number}.vmdk`, sizeBytes: Math.ceil(snapshot.hardware.diskGiB / 10) * GiB, type: "Snapshot disk" },
      { name: `${name}-Snapshot${index + 1}.vmsn`, sizeBytes: snapshot.includesMemory ? Math.ceil(snapshot.hardware.memoryMiB / 1024) * GiB : 32 * KiB, type: "Snapshot memory" },
    ];
  });
  return {
    name,
    vmOwnerKey: row.owner_key,
    files: [
      { name: `${name}.vmx`, sizeBytes: 3 * KiB, type: "VM configuration" },
      { name: `${name}.vmdk`, sizeBytes: row.disk_gib * GiB, type: "Virtual disk" },
      // ESXi names a VM's further disks name_1.vmdk, name_2.vmdk, …
      ...row.devices.disks.map((disk, index): DatastoreFile => ({ name: `${name}_${index + 1}.vmdk`, sizeBytes: disk.capacityGiB * GiB, type: "Virtual disk" })),
      ...snapshotFiles,
      { name: `${name}.nvram`, sizeBytes: 264 * KiB, type: "NVRAM" },
      { name: "vmware.log", sizeBytes: 256 * KiB, type: "Log" },
    ],
  };
}

/** Browse Files on a simulated datastore: a folder per VM whose disks are on it, then its other files. */
export async function browseDatastore(db: Db, name: string): Promise<DatastoreFolder[] | null> {
  const datastore = (await db.query<{ other_used_gib: number }>(`SELECT other_used_gib FROM sim_datastores WHERE name = $1`, [name])).rows[0];
  if (!datastore) return null;
  const { rows } = await db.query<VmFilesRow>(`SELECT owner_key, memory_mib, disk_gib, devices, snapshots FROM sim_vms WHERE datastore = $1 ORDER BY owner_key`, [name]);
  const other: DatastoreFolder[] =
    datastore.other_used_gib > 0 ? [{ name: "Other files", vmOwnerKey: null, files: [{ name: "Not managed by Skylight", sizeBytes: datastore.other_used_gib * GiB, type: "Other" }] }] : [];
  return [...rows.map(vmFolder), ...other];
}
