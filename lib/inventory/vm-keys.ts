// Resolves VM uids chosen in a table to their keys and current power state, for bulk actions: only
// VMs the reader may see, so nothing of another namespace's VMs is read out, not even whether they exist.
import "server-only";
import { visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";

export interface VmKey {
  uid: string;
  namespace: string;
  name: string;
  powerState: string | null;
  desiredPowerState: string | null;
  deleting: boolean;
}

export async function readVmKeys(uids: string[], scope: AccessScope): Promise<VmKey[]> {
  const values: unknown[] = [uids];
  const visible = visibilitySql(scope, { kind: "kind", namespace: "namespace", name: "name", labels: "labels" }, (value) => `$${values.push(value)}`);
  const { rows } = await getPool().query<VmKey>(
    `SELECT uid::text, namespace, name, status->>'powerState' AS "powerState", spec->>'powerState' AS "desiredPowerState",
            deletion_timestamp IS NOT NULL AS deleting
       FROM resources WHERE kind = 'VirtualMachine' AND uid = ANY($1::uuid[]) AND ${visible} ORDER BY name`,
    values,
  );
  return rows;
}
