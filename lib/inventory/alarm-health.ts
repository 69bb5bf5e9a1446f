// Triggered alarms as the navigator rolls them up: an object shows its own worst alarm; a cluster
// also those of its hosts, VMs and datastores; a datacenter those of everything in it. One query
// over the triggered alarms (a few rows, whatever the inventory's size) per navigator level.
import "server-only";
import { getPool } from "@/lib/db/pool";
import type { NavigatorNode } from "@/lib/inventory/navigator-views";

type Status = "yellow" | "red";

interface Rollup {
  status: Status;
  count: number;
  /** The first alarm's name and object, for the icon's tooltip when there is only one. */
  first: string;
}

export interface AlarmHealth {
  of(node: Pick<NavigatorNode, "uid" | "kind" | "name">): Rollup | null;
}

function add(map: Map<string, Rollup>, key: string | null, status: Status, label: string) {
  if (!key) return;
  const current = map.get(key);
  if (!current) map.set(key, { status, count: 1, first: label });
  else map.set(key, { status: current.status === "red" || status === "red" ? "red" : "yellow", count: current.count + 1, first: current.first });
}

export async function readAlarmHealth(): Promise<AlarmHealth> {
  const { rows } = await getPool().query<{ uid: string; status: Status; alarm: string; name: string; cluster: string | null; datacenter: string | null }>(
    `SELECT s.object_uid::text AS uid, s.status, d.name AS alarm, s.object_name AS name,
            CASE WHEN r.kind = 'Cluster' THEN r.name ELSE COALESCE(r.spec->>'cluster', r.labels->>'skylight.io/cluster') END AS cluster,
            COALESCE(r.spec->>'datacenter', c.spec->>'datacenter') AS datacenter
       FROM alarm_states s
       JOIN alarm_definitions d ON d.id = s.definition_id
       JOIN resources r ON r.uid = s.object_uid
       LEFT JOIN resources c ON c.kind = 'Cluster' AND c.name = CASE WHEN r.kind = 'Cluster' THEN r.name ELSE COALESCE(r.spec->>'cluster', r.labels->>'skylight.io/cluster') END
      WHERE s.status <> 'green'`,
  );
  const byUid = new Map<string, Rollup>();
  const byCluster = new Map<string, Rollup>();
  const byDatacenter = new Map<string, Rollup>();
  for (const row of rows) {
    const label = `${row.alarm} on ${row.name}`;
    add(byUid, row.uid, row.status, row.alarm);
    add(byCluster, row.cluster, row.status, label);
    add(byDatacenter, row.datacenter, row.status, label);
  }
  return {
    of(node) {
      if (node.kind === "Cluster") return byCluster.get(node.name) ?? null;
      if (node.kind === "Datacenter") return byDatacenter.get(node.name) ?? null;
      return byUid.get(node.uid) ?? null;
    },
  };
}
