// Triggered alarms as the navigator rolls them up: an object shows its own worst alarm at its
// severity; a cluster and a datacenter also show, as a warning, the alarms of what they hold
// (hosts, VMs, datastores, namespaces; a datacenter its clusters too). One query over the
// triggered alarms (a few rows, whatever the inventory's size) per navigator level.
import "server-only";
import { getPool } from "@/lib/db/pool";
import type { Health, NavigatorNode } from "@/lib/inventory/navigator-views";

type Status = "yellow" | "red";

interface Rollup {
  status: Status;
  count: number;
  /** What the icon's tooltip says: the alarm's name when there is one, else how many. */
  reason: string;
}

export interface AlarmHealth {
  of(node: Pick<NavigatorNode, "uid" | "kind" | "name">): Rollup | null;
}

function add(map: Map<string, Rollup>, key: string | null, status: Status, label: string, below: boolean) {
  if (!key) return;
  const current = map.get(key);
  const count = (current?.count ?? 0) + 1;
  map.set(key, {
    status: current?.status === "red" || status === "red" ? "red" : "yellow",
    count,
    reason: count === 1 ? label : `${count} triggered alarms${below ? " below" : ""}`,
  });
}

const worst = (a: Rollup | undefined, b: Rollup | undefined): Rollup | null => {
  if (!a || !b) return a ?? b ?? null;
  return a.status === "red" || b.status !== "red" ? { ...a, count: a.count + b.count } : b;
};

export async function readAlarmHealth(): Promise<AlarmHealth> {
  const { rows } = await getPool().query<{ uid: string; kind: string; status: Status; alarm: string; name: string; cluster: string | null; datacenter: string | null }>(
    `WITH triggered AS (
       SELECT s.object_uid, s.status, d.name AS alarm, s.object_name AS name, r.kind,
              CASE WHEN r.kind = 'Cluster' THEN r.name ELSE COALESCE(r.spec->>'cluster', r.labels->>'skylight.io/cluster') END AS cluster,
              r.spec->>'datacenter' AS datacenter
         FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id JOIN resources r ON r.uid = s.object_uid
        WHERE s.status <> 'green')
     SELECT t.object_uid::text AS uid, t.kind, t.status, t.alarm, t.name, t.cluster, COALESCE(t.datacenter, c.spec->>'datacenter') AS datacenter
       FROM triggered t LEFT JOIN resources c ON c.kind = 'Cluster' AND c.name = t.cluster`,
  );
  const own = new Map<string, Rollup>();
  const inCluster = new Map<string, Rollup>();
  const inDatacenter = new Map<string, Rollup>();
  for (const row of rows) {
    add(own, row.uid, row.status, row.alarm, false);
    // What an object holds turns it yellow, never red: the trouble is below it, not in it.
    const label = `${row.alarm} on ${row.name}`;
    if (row.kind !== "Cluster") add(inCluster, row.cluster, "yellow", label, true);
    add(inDatacenter, row.datacenter, "yellow", label, true);
  }
  return {
    of(node) {
      if (node.kind === "Cluster") return worst(own.get(node.uid), inCluster.get(node.name));
      if (node.kind === "Datacenter") return inDatacenter.get(node.name) ?? null;
      return own.get(node.uid) ?? null;
    },
  };
}

const SEVERITY: Record<Health, number> = { green: 0, yellow: 1, red: 2 };

/** The node's health made worse by alarms; a reason it already has for the same or worse health is kept. */
export function withAlarms<Node extends Pick<NavigatorNode, "uid" | "kind" | "name" | "health" | "healthReason">>(node: Node, alarms: AlarmHealth): Node {
  const found = alarms.of(node);
  if (!found) return node;
  if (node.health !== null && SEVERITY[node.health] >= SEVERITY[found.status] && node.healthReason) return node;
  return { ...node, health: found.status, healthReason: found.reason };
}
