// What every create and delete of a namespaced Kubernetes kind (workloads, ConfigMaps, Secrets)
// says and checks alike: a DNS-1123 name, the task's and event's words, and the name-taken refusal.
// Each operation adds its own admission, audit and change to these.
import type { StoredKind } from "@/lib/inventory/kinds";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";
import { InvalidInputError } from "@/lib/errors";

interface NamedObject {
  kind: StoredKind;
  namespace: string;
  name: string;
}

/** The common part of a create's writeObject request; refuses a name that is no DNS-1123 subdomain. */
export function namespacedCreate(actor: OperationActor, { kind, namespace, name }: NamedObject, noun: string) {
  const valid = dns1123SubdomainSchema.safeParse(name);
  if (!valid.success) throw new InvalidInputError("metadata.name", valid.error.issues[0]!.message);
  return {
    actor,
    key: { kind, namespace, name },
    operation: `${kind}.create`,
    description: `Create ${noun} ${name}`,
    message: `${actor.username} created ${noun} ${namespace}/${name}`,
    nameTaken: { field: "metadata.name", message: `A ${noun} named "${name}" already exists in namespace ${namespace}.` },
  };
}

/** The common part of a delete's writeObject request. */
export function namespacedDelete(actor: OperationActor, { kind, namespace, name, expectedResourceVersion }: NamedObject & { expectedResourceVersion?: string }, noun: string) {
  return {
    actor,
    key: { kind, namespace, name },
    expectedResourceVersion,
    operation: `${kind}.delete`,
    description: `Delete ${noun} ${name}`,
    message: `${actor.username} deleted ${noun} ${namespace}/${name}`,
  };
}
