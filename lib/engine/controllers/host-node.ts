// Every host is a core v1 Node, so `kubectl get nodes` lists them all. A real host's agent
// registers and reports its own Node; the Host controller then owns only its spec (unschedulable
// while the host takes no new VMs). A simulated host has no agent, so the controller keeps its
// whole Node from what the simulator reports. Nothing is written when nothing changed: the
// heartbeat time moves only when Ready does, so a converged inventory costs no writes.
import { API_ONLY_KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { type Db } from "@/lib/db/pool";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { getObject, insertObject, writeSpec, writeStatus } from "@/lib/engine/object-store";
import type { NodeStatus } from "@/lib/engine/operations/node-operations";
import { sameJson } from "@/lib/engine/same-json";
import type { ProviderHost } from "@/lib/provider/provider";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

interface NodeSpec {
  providerID: string;
  unschedulable?: boolean;
}

export interface HostNodeFacts {
  name: string;
  cluster: string;
  observed: ProviderHost;
  ready: boolean;
  schedulable: boolean;
  managementIP?: string;
  now: Date;
}

function nodeSpec(facts: HostNodeFacts): NodeSpec {
  return { providerID: `skylight://host/${facts.name}`, ...(facts.schedulable ? {} : { unschedulable: true }) };
}

function simulatedNodeStatus(facts: HostNodeFacts, previous: NodeStatus | undefined): NodeStatus {
  const { observed } = facts;
  const capacity = { cpu: String(observed.cpuCores), memory: `${observed.memoryMiB * 1024}Ki`, pods: "0" };
  const wasReady = previous?.conditions?.find((condition) => condition.type === "Ready")?.status === "True";
  const conditions =
    previous?.conditions && wasReady === facts.ready
      ? previous.conditions
      : setCondition(previous?.conditions as Condition[] | undefined, "Ready", facts.ready ? "True" : "Unknown", facts.ready ? "HostConnected" : "HostNotResponding", facts.ready ? "The simulated host is connected" : "The simulated host stopped heartbeating", facts.now).map(
          (condition) => (condition.type === "Ready" ? { ...condition, lastHeartbeatTime: facts.now.toISOString() } : condition),
        );
  return {
    capacity,
    allocatable: capacity,
    addresses: [...(facts.managementIP ? [{ type: "InternalIP" as const, address: facts.managementIP }] : []), { type: "Hostname", address: facts.name }],
    nodeInfo: {
      osImage: `VMware ESXi ${observed.version} (simulated)`,
      kernelVersion: observed.version,
      containerRuntimeVersion: `esxi-simulator://${observed.version}`,
      kubeletVersion: `v1.32.0-esxi-${observed.version}`,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
    },
    conditions,
  };
}

/** Brings the host's Node in step: its spec always, its whole self for a simulated host. */
export async function syncHostNode(tx: Db, facts: HostNodeFacts): Promise<void> {
  const node = await getObject<NodeSpec, NodeStatus>(tx, { kind: "Node", namespace: "", name: facts.name });
  const spec = nodeSpec(facts);
  if (facts.observed.reportsOwnNode) {
    if (node && !sameJson(node.spec, spec)) await writeSpec(tx, node, spec);
    return;
  }
  const status = simulatedNodeStatus(facts, node?.status);
  if (!node) {
    await insertObject(tx, {
      kind: "Node",
      namespace: "",
      name: facts.name,
      apiVersion: API_ONLY_KIND_API_VERSIONS.Node,
      labels: { "kubernetes.io/hostname": facts.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "simulated-esxi", [CLUSTER_LABEL]: facts.cluster },
      spec,
      status: status as Record<string, unknown>,
    });
    return;
  }
  let current = node;
  if (!sameJson(node.spec, spec)) current = await writeSpec(tx, current, spec);
  if (!sameJson(node.status, status)) await writeStatus(tx, current, status);
}
