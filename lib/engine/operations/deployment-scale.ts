// A Deployment's scale (Actions › Scale in the console): only spec.replicas changes, as through the
// scale subresource, in one writeObject call with its task and audit event.
import type pg from "pg";
import { writeObject, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { InvalidInputError } from "@/lib/errors";

/** Skylight's bound on one Deployment's pods. */
export const MAX_DEPLOYMENT_REPLICAS = 1000;

export async function scaleDeployment(
  actor: OperationActor,
  input: { namespace: string; name: string; replicas: number; expectedResourceVersion?: string },
  pool?: pg.Pool,
): Promise<OperationResult<Record<string, unknown>>> {
  const { name, replicas } = input;
  if (!Number.isInteger(replicas) || replicas < 0) throw new InvalidInputError("spec.replicas", `Invalid value: ${replicas}: must be a whole number greater than or equal to 0`);
  if (replicas > MAX_DEPLOYMENT_REPLICAS) throw new InvalidInputError("spec.replicas", `Invalid value: ${replicas}: must be less than or equal to ${MAX_DEPLOYMENT_REPLICAS}`);
  return writeObject<Record<string, unknown>>({
    actor,
    key: { kind: "Deployment", namespace: input.namespace, name },
    expectedResourceVersion: input.expectedResourceVersion,
    operation: "Deployment.scale",
    description: `Scale deployment ${name} to ${replicas}`,
    noOpWithoutTask: true,
    change: (current) => ({ spec: { ...current.spec, replicas } }),
    pool,
  });
}
