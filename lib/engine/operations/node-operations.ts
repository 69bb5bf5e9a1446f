// What a host's agent writes through the Kubernetes API: its Node (registered once, then its
// status) and its Lease in kube-node-lease (renewed every few seconds). These are observed state,
// so only the agent of that host writes them (lib/kube/host-agent-requests.ts decides who is
// asking); the metadata that ties the Node to Skylight's inventory is set here, never taken from
// the agent. A Node write wakes the Host controller, which keeps the Host in step.
import type pg from "pg";
import { z } from "zod";
import { withTransaction, type Db } from "@/lib/db/pool";
import { getObject, insertObject, writeSpec, writeStatus, type StoredObject } from "@/lib/engine/object-store";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { API_ONLY_KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import type { SphereletHost } from "@/lib/spherelet/host-tokens";
import { SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

const text = (max = 256) => z.string().max(max);
const condition = z.object({
  type: text(64),
  status: z.enum(["True", "False", "Unknown"]),
  reason: text().optional(),
  message: text(1024).optional(),
  lastHeartbeatTime: text(64).optional(),
  lastTransitionTime: text(64).optional(),
});
const quantities = z.record(text(64), text(64)).refine((value) => Object.keys(value).length <= 16, "must name at most 16 resources");

/** A Node's status as an agent may report it: kube's fields, each bounded. */
export const nodeStatusSchema = z.object({
  capacity: quantities.optional(),
  allocatable: quantities.optional(),
  addresses: z.array(z.object({ type: z.enum(["InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"]), address: text() })).max(16).optional(),
  nodeInfo: z
    .object({
      machineID: text(),
      systemUUID: text(),
      bootID: text(),
      kernelVersion: text(),
      osImage: text(),
      containerRuntimeVersion: text(),
      kubeletVersion: text(),
      kubeProxyVersion: text(),
      operatingSystem: text(),
      architecture: text(),
    })
    .partial()
    .optional(),
  conditions: z.array(condition).max(16).optional(),
  /** The agent's own port, where Skylight opens a VM's console (lib/spherelet/console-protocol.ts). */
  daemonEndpoints: z.object({ kubeletEndpoint: z.object({ Port: z.number().int().min(1).max(65535) }) }).optional(),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

/** Labels an agent may set on its Node, as kube's NodeRestriction allows a kubelet: kubernetes.io/ and node.kubernetes.io/ ones. */
export const agentNodeLabelsSchema = z
  .record(z.string().regex(/^(kubernetes\.io|node\.kubernetes\.io)\/[A-Za-z0-9._-]{1,63}$/, "may only be kubernetes.io/ or node.kubernetes.io/ labels"), text(63))
  .refine((value) => Object.keys(value).length <= 16, "must be at most 16 labels");

export const leaseSpecSchema = z.object({
  holderIdentity: text(),
  leaseDurationSeconds: z.number().int().min(1).max(3600),
  renewTime: text(64),
  acquireTime: text(64).optional(),
  leaseTransitions: z.number().int().min(0).optional(),
});
export type LeaseSpec = z.infer<typeof leaseSpecSchema>;

const nodeKey = (name: string) => ({ kind: "Node" as const, namespace: "", name });
const leaseKey = (name: string) => ({ kind: "Lease" as const, namespace: NODE_LEASE_NAMESPACE, name });

/** The Node's metadata and spec that Skylight owns: which host of which cluster it is. */
function nodeIdentity(host: Pick<SphereletHost, "name" | "cluster">, labels: Record<string, string>) {
  return {
    labels: { ...labels, "kubernetes.io/hostname": host.name, [CLUSTER_LABEL]: host.cluster },
    spec: { providerID: `skylight://host/${host.name}` },
  };
}

/** The one annotation an agent writes on its Node: the hash of its endpoint's certificate, which Skylight pins. */
export const agentNodeAnnotationsSchema = z.object({ [SERVING_CERTIFICATE_ANNOTATION]: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 lowercase hex digits').optional() });

export async function registerNode(db: pg.Pool, host: SphereletHost, input: { labels: Record<string, string>; annotations?: Record<string, string>; status: NodeStatus }): Promise<StoredObject> {
  const identity = nodeIdentity(host, input.labels);
  return withTransaction(db, async (tx) => {
    const node = await insertObject(tx, { ...nodeKey(host.name), apiVersion: API_ONLY_KIND_API_VERSIONS.Node, labels: identity.labels, annotations: input.annotations, spec: identity.spec, status: input.status });
    await enqueue(tx, `Host//${host.name}`);
    return node;
  });
}

/** Replaces the Node's status (and the agent's annotations given) if it is still at `expectedResourceVersion` (a ConflictError otherwise). */
export async function reportNodeStatus(db: pg.Pool, current: StoredObject, status: NodeStatus, annotations: Record<string, string>, expectedResourceVersion: string | undefined): Promise<StoredObject> {
  return withTransaction(db, async (tx) => {
    const node = await writeStatus(tx, current, status, { expectedResourceVersion, annotations: { ...current.annotations, ...annotations } });
    await enqueue(tx, `Host//${current.name}`);
    return node;
  });
}

export async function createLease(db: Db, host: SphereletHost, spec: LeaseSpec): Promise<StoredObject> {
  return insertObject(db, { ...leaseKey(host.name), apiVersion: API_ONLY_KIND_API_VERSIONS.Lease, spec });
}

export async function renewLease(db: Db, current: StoredObject, spec: LeaseSpec, expectedResourceVersion: string | undefined): Promise<StoredObject> {
  return writeSpec(db, current, spec, { expectedResourceVersion });
}

export const readNode = (db: Db, name: string) => getObject<{ providerID?: string; unschedulable?: boolean }, NodeStatus>(db, nodeKey(name));
export const readLease = (db: Db, name: string) => getObject<LeaseSpec, unknown>(db, leaseKey(name));
