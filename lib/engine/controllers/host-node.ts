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

function nodeSpec(facts: Pick<HostNodeFacts, "name" | "schedulable">): NodeSpec {
  return { providerID: `skylight://host/${facts.name}`, ...(facts.schedulable ? {} : { unschedulable: true }) };
}

/** What a simulated host's Node says, given what the simulator reports of it. */
export interface SimulatedNodeFacts {
  name: string;
  cluster: string;
  cpuCores: number;
  memoryMiB: number;
  version: string;
  managementIP?: string;
  ready: boolean;
  schedulable: boolean;
  now: Date;
}

function simulatedNodeStatus(facts: SimulatedNodeFacts, previous: NodeStatus | undefined): NodeStatus {
  // kubelet's default maxPods: a simulated host runs pods in the simulator.
  const capacity = { cpu: String(facts.cpuCores), memory: `${facts.memoryMiB * 1024}Ki`, pods: "110" };
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
      osImage: `VMware ESXi ${facts.version} (simulated)`,
      kernelVersion: facts.version,
      containerRuntimeVersion: `esxi-simulator://${facts.version}`,
      kubeletVersion: `v1.32.0-esxi-${facts.version}`,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
    },
    conditions,
  };
}

/** A simulated host's whole Node, as the Host controller keeps it (the scale seed writes the same, already converged). */
export function simulatedNode(facts: SimulatedNodeFacts, previous?: NodeStatus) {
  return {
    labels: { "kubernetes.io/hostname": facts.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node.kubernetes.io/instance-type": "simulated-esxi", [CLUSTER_LABEL]: facts.cluster },
    spec: nodeSpec(facts),
    status: simulatedNodeStatus(facts, previous),
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
  const { observed } = facts;
  const desired = simulatedNode({ ...facts, cpuCores: observed.cpuCores, memoryMiB: observed.memoryMiB, version: observed.version }, node?.status);
  const status = desired.status;
  if (!node) {
    await insertObject(tx, { kind: "Node", namespace: "", name: facts.name, apiVersion: API_ONLY_KIND_API_VERSIONS.Node, labels: desired.labels, spec, status: status as Record<string, unknown> });
    return;
  }
  let current = node;
  if (!sameJson(node.spec, spec)) current = await writeSpec(tx, current, spec);
  if (!sameJson(node.status, status)) await writeStatus(tx, current, status);
}
