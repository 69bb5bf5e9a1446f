// Engine functions for a cluster's vSphere DRS and vSphere Availability (HA) settings.
import type pg from "pg";
import { z } from "zod";
import { changeSpec, type OperationActor } from "@/lib/engine/operations/change-spec";
import { clusterSpecSchema, type ClusterSpec } from "@/lib/engine/schemas";

export async function configureDrs(
  actor: OperationActor,
  input: { name: string; drs: z.input<typeof clusterSpecSchema.shape.drs>; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const drs = clusterSpecSchema.shape.drs.parse(input.drs);
  return changeSpec<ClusterSpec>({
    actor,
    permission: "inventory.operate",
    key: { kind: "Cluster", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Cluster.configureDrs",
    description: `Reconfigure vSphere DRS on ${input.name}`,
    change: (current) => ({ spec: { ...current.spec, drs } }),
    pool,
  });
}

export async function configureHa(
  actor: OperationActor,
  input: { name: string; ha: z.input<typeof clusterSpecSchema.shape.ha>; expectedResourceVersion?: string },
  pool?: pg.Pool,
) {
  const ha = clusterSpecSchema.shape.ha.parse(input.ha);
  return changeSpec<ClusterSpec>({
    actor,
    permission: "inventory.operate",
    key: { kind: "Cluster", namespace: "", name: input.name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Cluster.configureHa",
    description: `Reconfigure vSphere Availability on ${input.name}`,
    change: (current) => ({ spec: { ...current.spec, ha } }),
    pool,
  });
}
