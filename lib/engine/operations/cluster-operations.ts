// Engine functions for clusters: create one in a datacenter, its vSphere DRS and vSphere
// Availability (HA) settings, and acting on DRS: run a pass now, apply a recommendation.
import type pg from "pg";
import { z } from "zod";
import type { ClusterStatus } from "@/lib/engine/controllers/cluster-controller";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { isRecommendationCurrent } from "@/lib/engine/drs";
import { getObject, objectKeyString, type StoredObject } from "@/lib/engine/object-store";
import { migrationTo } from "@/lib/engine/operations/vm-operations";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { clusterSpecSchema, dns1123SubdomainSchema, type ClusterSpec, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";
import { SKYLIGHT_API_VERSION } from "@/lib/inventory/kinds";
import { DRS_REQUESTED_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

export const createClusterInputSchema = z.object({
  name: dns1123SubdomainSchema,
  datacenter: z.string().min(1, "is required"),
  /** On by default, as the seed's clusters: DRS fully automated, HA tolerating one host failure. */
  drs: z.boolean().default(true),
  ha: z.boolean().default(true),
});

/** Datacenter › New Cluster: an empty cluster, ready for hosts (simulated ones or hosts running the Skylight agent). */
export async function createCluster(actor: OperationActor, input: z.input<typeof createClusterInputSchema>, pool?: pg.Pool) {
  const parsed = createClusterInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(String(issue.path[0] ?? "name"), `Cluster ${String(issue.path[0] ?? "input")} ${issue.message}`);
  }
  const request = parsed.data;
  return writeObject<ClusterSpec>({
    actor,
    key: { kind: "Cluster", namespace: "", name: request.name },
    authority: { permission: "inventory.operate" },
    operation: "Cluster.create",
    description: `Create cluster ${request.name} in ${request.datacenter}`,
    nameTaken: { field: "name", message: `Cluster "${request.name}" already exists.` },
    create: async (tx) => {
      if (!(await getObject(tx, { kind: "Datacenter", namespace: "", name: request.datacenter }))) {
        throw new InvalidInputError("datacenter", `Datacenter "${request.datacenter}" does not exist.`);
      }
      const spec = clusterSpecSchema.parse({ datacenter: request.datacenter, drs: { enabled: request.drs }, ha: { enabled: request.ha } });
      return { apiVersion: SKYLIGHT_API_VERSION, kind: "Cluster", namespace: "", name: request.name, spec };
    },
    pool,
  });
}

export async function configureDrs(
  actor: OperationActor,
  input: { name: string; drs: z.input<typeof clusterSpecSchema.shape.drs>; expectedResourceVersion?: string; expectedGeneration?: number },
  pool?: pg.Pool,
) {
  const drs = clusterSpecSchema.shape.drs.parse(input.drs);
  return writeObject<ClusterSpec>({
    actor,
    key: { kind: "Cluster", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "Cluster.configureDrs",
    description: `Reconfigure vSphere DRS on ${input.name}`,
    change: (current) => ({ spec: { ...current.spec, drs } }),
    pool,
  });
}

export async function configureHa(
  actor: OperationActor,
  input: { name: string; ha: z.input<typeof clusterSpecSchema.shape.ha>; expectedResourceVersion?: string; expectedGeneration?: number },
  pool?: pg.Pool,
) {
  const ha = clusterSpecSchema.shape.ha.parse(input.ha);
  return writeObject<ClusterSpec>({
    actor,
    key: { kind: "Cluster", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    expectedGeneration: input.expectedGeneration,
    operation: "Cluster.configureHa",
    description: `Reconfigure vSphere Availability on ${input.name}`,
    change: (current) => ({ spec: { ...current.spec, ha } }),
    pool,
  });
}

/** Run DRS Now: asks the cluster for a balancing pass at once instead of at the next interval. */
export async function runDrs(actor: OperationActor, input: { name: string }, pool?: pg.Pool) {
  return writeObject<ClusterSpec>({
    actor,
    key: { kind: "Cluster", namespace: "", name: input.name },
    operation: "Cluster.runDrs",
    description: `Run vSphere DRS on ${input.name}`,
    change: (current) => {
      if (!current.spec.drs.enabled) throw new InvalidInputError("drs.enabled", `vSphere DRS is turned off on ${input.name}; turn it on under Configure › vSphere DRS to run it.`);
      return { annotations: { ...current.annotations, [DRS_REQUESTED_ANNOTATION]: new Date().toISOString() } };
    },
    pool,
  });
}

export const applyDrsRecommendationInputSchema = z.object({
  cluster: z.string().min(1, "is required"),
  vm: z.object({ namespace: z.string().min(1, "is required"), name: z.string().min(1, "is required") }),
  from: z.string().min(1, "is required"),
  to: z.string().min(1, "is required"),
});

/**
 * Applies one of the cluster's DRS recommendations: migrates its VM, as the operator, once the
 * recommendation is checked to be still listed and still apply to where the VM is now.
 */
export async function applyDrsRecommendation(actor: OperationActor, input: z.input<typeof applyDrsRecommendationInputSchema>, pool?: pg.Pool) {
  const { cluster: clusterName, vm, from, to } = applyDrsRecommendationInputSchema.parse(input);
  return writeObject<VirtualMachineSpec>({
    actor,
    key: { kind: "VirtualMachine", namespace: vm.namespace, name: vm.name },
    operation: "VirtualMachine.migrate",
    description: `Migrate virtual machine ${vm.name} to ${to} (DRS recommendation)`,
    change: async (current, tx) => {
      const cluster = await getObject<ClusterSpec, ClusterStatus>(tx, { kind: "Cluster", namespace: "", name: clusterName });
      const listed = cluster?.status.drs?.recommendations.find(
        (candidate) => candidate.vm.namespace === vm.namespace && candidate.vm.name === vm.name && candidate.from === from && candidate.to === to,
      );
      if (!listed || !isRecommendationCurrent(listed, current as StoredObject<VirtualMachineSpec, VirtualMachineStatus>)) {
        throw new InvalidInputError(
          "recommendation",
          `The recommendation to move ${vm.name} from ${from} to ${to} is no longer current: the VM has moved or DRS has run again since. Review the current recommendations.`,
        );
      }
      return migrationTo(current, tx, to);
    },
    alsoEnqueue: () => [objectKeyString({ kind: "Cluster", namespace: "", name: clusterName })],
    pool,
  });
}
