// Where a VM's screen is right now: the machine its host's agent runs it as, that host, and the
// host's console endpoint as its agent published it on its Node (InternalIP, the port in
// daemonEndpoints, the certificate hash Skylight pins). Read afresh on every connect, so a console
// follows its VM to another host. A VM in a cluster of simulated hosts has no screen.
import type { Db } from "@/lib/db/pool";
import type { NodeStatus } from "@/lib/engine/operations/node-operations";
import { SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export interface ConsoleEndpoint {
  address: string;
  port: number;
  certificateHash: string;
}

export type ConsoleTarget =
  | { kind: "simulated"; uid: string }
  /** On a cluster of real hosts; machine is null until the VM is placed on one of them. */
  | {
      kind: "agent";
      uid: string;
      machine: { id: string; host: string; powerState: string | null; tokenHash: string | null; endpoint: ConsoleEndpoint | null } | null;
    };

interface TargetRow {
  uid: string;
  real_cluster: boolean;
  machine_id: string | null;
  host: string | null;
  power_state: string | null;
  token_hash: string | null;
  node_status: NodeStatus | null;
  certificate_hash: string | null;
}

/** The address Skylight reaches a host's agent at, as kube-apiserver picks a kubelet's: from its Node's status and the certificate hash it published. */
export function endpointOf(row: { node_status: NodeStatus | null; certificate_hash: string | null }): ConsoleEndpoint | null {
  const addresses = row.node_status?.addresses ?? [];
  const address = addresses.find((entry) => entry.type === "InternalIP")?.address ?? addresses.find((entry) => entry.type === "Hostname")?.address;
  const port = row.node_status?.daemonEndpoints?.kubeletEndpoint.Port;
  if (!address || !port || !row.certificate_hash) return null;
  return { address, port, certificateHash: row.certificate_hash };
}

/** The VM's console target, or null when no such VM exists. */
export async function readConsoleTarget(db: Db, vm: { namespace: string; name: string }): Promise<ConsoleTarget | null> {
  const { rows } = await db.query<TargetRow>(
    `SELECT vm.uid::text,
            m.id IS NOT NULL OR EXISTS (SELECT 1 FROM spherelet_hosts s WHERE s.cluster = vm.labels->>$3) AS real_cluster,
            m.id AS machine_id, m.host, m.status->>'powerState' AS power_state, h.token_hash,
            n.status AS node_status, n.annotations->>$4 AS certificate_hash
       FROM resources vm
       LEFT JOIN agent_machines m ON m.owner_key = vm.namespace || '/' || vm.name
       LEFT JOIN spherelet_hosts h ON h.name = m.host
       LEFT JOIN resources n ON n.kind = 'Node' AND n.namespace = '' AND n.name = m.host
      WHERE vm.kind = 'VirtualMachine' AND vm.namespace = $1 AND vm.name = $2`,
    [vm.namespace, vm.name, CLUSTER_LABEL, SERVING_CERTIFICATE_ANNOTATION],
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.real_cluster) return { kind: "simulated", uid: row.uid };
  if (!row.machine_id || !row.host) return { kind: "agent", uid: row.uid, machine: null };
  return { kind: "agent", uid: row.uid, machine: { id: row.machine_id, host: row.host, powerState: row.power_state, tokenHash: row.token_hash, endpoint: endpointOf(row) } };
}
