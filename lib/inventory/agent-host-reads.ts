// The Summary of a host added as one running the Skylight agent: what its agent registered (the
// Node's nodeInfo and addresses) and its last heartbeat (the Lease's renewTime), or, until the
// agent first registers, the command that starts it (without the token, which was shown once).
// A simulated host has no spherelet_hosts row and no such facts.
import "server-only";
import { getPool } from "@/lib/db/pool";
import type { NodeStatus } from "@/lib/engine/operations/node-operations";
import { isUid } from "@/lib/inventory/object-view";
import { hostJoinCommand, TOKEN_PLACEHOLDER } from "@/lib/spherelet/host-join-command";

export interface AgentHostView {
  /** The datastores its agent mounts, its default one first. */
  datastores: string[];
  /** The agent registered the host's Node. */
  registered: boolean;
  agentVersion: string | null;
  osImage: string | null;
  kernelVersion: string | null;
  architecture: string | null;
  /** QEMU and its version, from the Node's containerRuntimeVersion ("qemu://7.2.15" → "QEMU 7.2.15"). */
  hypervisor: string | null;
  addresses: { type: string; address: string }[];
  /** The Lease's last renewal. */
  lastHeartbeat: string | null;
  /** Until the agent registers: the command that starts it, its token left out. */
  command: string | null;
}

const known = (value: string | undefined) => (value ? value : null);
const runtimeName = (version: string | undefined) => (version ? version.replace(/^qemu:\/\//, "QEMU ") : null);

/** Whether the host was added as one running the Skylight agent (the simulator's failure injection does not apply to it). */
export async function isAgentHost(name: string): Promise<boolean> {
  const { rows } = await getPool().query(`SELECT 1 FROM spherelet_hosts WHERE name = $1`, [name]);
  return rows.length > 0;
}

export async function readAgentHost(hostUid: string, consoleHostname: string): Promise<AgentHostView | null> {
  if (!isUid(hostUid)) return null;
  const { rows } = await getPool().query<{ name: string; datastores: string[]; node: NodeStatus | null; renew_time: string | null }>(
    `SELECT a.name, (SELECT array_agg(d.datastore ORDER BY d.position) FROM spherelet_host_datastores d WHERE d.host = a.name) AS datastores,
            n.status AS node, l.spec->>'renewTime' AS renew_time
       FROM resources h
       JOIN spherelet_hosts a ON a.name = h.name
       LEFT JOIN resources n ON n.kind = 'Node' AND n.namespace = '' AND n.name = h.name
       LEFT JOIN resources l ON l.kind = 'Lease' AND l.namespace = 'kube-node-lease' AND l.name = h.name
      WHERE h.uid = $1 AND h.kind = 'Host'`,
    [hostUid],
  );
  const row = rows[0];
  if (!row) return null;
  const info = row.node?.nodeInfo ?? {};
  return {
    datastores: row.datastores,
    registered: row.node !== null,
    agentVersion: known(info.kubeletVersion),
    osImage: known(info.osImage),
    kernelVersion: known(info.kernelVersion),
    architecture: known(info.architecture),
    hypervisor: runtimeName(info.containerRuntimeVersion),
    addresses: row.node?.addresses ?? [],
    lastHeartbeat: row.renew_time,
    command: row.node ? null : await hostJoinCommand(consoleHostname, { name: row.name, token: TOKEN_PLACEHOLDER, otherDatastores: row.datastores.slice(1) }),
  };
}
