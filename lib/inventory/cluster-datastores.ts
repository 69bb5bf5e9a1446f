// Read model of the datastores a cluster's hosts can mount: the ones labelled with the cluster.
import "server-only";
import { getPool } from "@/lib/db/pool";

export async function readClusterDatastores(cluster: string): Promise<string[]> {
  const { rows } = await getPool().query<{ name: string }>(
    `SELECT name FROM resources WHERE kind = 'Datastore' AND labels->>'skylight.io/cluster' = $1 AND deletion_timestamp IS NULL ORDER BY name`,
    [cluster],
  );
  return rows.map((row) => row.name);
}

/** Each cluster of the datacenter with the datastores its hosts can mount: where Add Host may put a host. */
export async function readDatacenterHostLocations(datacenter: string): Promise<{ cluster: string; datastores: string[] }[]> {
  const { rows } = await getPool().query<{ cluster: string; datastores: string[] }>(
    `SELECT c.name AS cluster,
            COALESCE(array_agg(d.name ORDER BY d.name) FILTER (WHERE d.name IS NOT NULL), '{}') AS datastores
       FROM resources c
       LEFT JOIN resources d ON d.kind = 'Datastore' AND d.labels->>'skylight.io/cluster' = c.name AND d.deletion_timestamp IS NULL
      WHERE c.kind = 'Cluster' AND c.spec->>'datacenter' = $1 AND c.deletion_timestamp IS NULL
      GROUP BY c.name ORDER BY c.name`,
    [datacenter],
  );
  return rows;
}
