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
