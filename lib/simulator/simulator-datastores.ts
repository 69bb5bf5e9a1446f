// The simulated datastores' used space: every VM's disk, a delta disk for each of its snapshots (a
// tenth of the disk it was taken of) and the memory image of a snapshot that includes memory, plus
// the datastore's other files; and the hosts that mount each. One grouped read over sim_vms and
// sim_hosts, whatever the number of datastores.
import type { AddDatastoreRequest, ProviderDatastore } from "@/lib/provider/provider";

interface Db {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const VM_USED_GIB = `v.disk_gib + CASE WHEN v.snapshots = '[]'::jsonb THEN 0 ELSE (
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
