// Resolves VM uids chosen in a table to their keys and current power state, for bulk actions.
import "server-only";
import { getPool } from "@/lib/db/pool";

export interface VmKey {
  uid: string;
  namespace: string;
  name: string;
  powerState: string | null;
  desiredPowerState: string | null;
  deleting: boolean;
}

export async function readVmKeys(uids: string[]): Promise<VmKey[]> {
  const { rows } = await getPool().query<VmKey>(
    `SELECT uid::text, namespace, name, status->>'powerState' AS "powerState", spec->>'powerState' AS "desiredPowerState",
            deletion_timestamp IS NOT NULL AS deleting
       FROM resources WHERE kind = 'VirtualMachine' AND uid = ANY($1::uuid[]) ORDER BY name`,
    [uids],
  );
  return rows;
}
