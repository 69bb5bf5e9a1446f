// Who may do what through the Kubernetes API, decided by the console's own rules
// (lib/auth/authorize.ts): administrators and operators read and operate everything; a developer
// reads their namespaces, what those namespaces use, operates VMs where their role is edit or
// owner, and creates and changes namespaces as the namespace operations allow. This module only turns those answers into kube-apiserver's Forbidden and list filters.
import { authorize, can, EVERYTHING, readAccessScope, type AccessScope } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { getObject } from "@/lib/engine/object-store";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { ForbiddenError } from "@/lib/errors";
import { forbidden, type ResourceRef } from "@/lib/kube/api-status";
import { READ_VERBS, type ApiResource, type Verb } from "@/lib/kube/api-resources";
import type { TokenUser } from "@/lib/kube/api-tokens";

export type KubeActor = OperationActor;

export function actorForTokenUser(user: TokenUser): KubeActor {
  return { id: user.id, username: user.username, role: user.role };
}

/** Kinds a developer never sees, as in the console. */
const INFRASTRUCTURE_ONLY: readonly string[] = ["Host", "Datacenter", "Network", "Task"];

const isRead = (verb: Verb) => (READ_VERBS as readonly string[]).includes(verb);

/** Throws a Forbidden Status unless the actor may `verb` the resource (in `namespace`, if namespaced). */
export async function authorizeKube(actor: KubeActor, verb: Verb, ref: ResourceRef, namespace: string | undefined, db: Db): Promise<void> {
  if (can(actor, isRead(verb) ? "inventory.read" : "inventory.operate")) return;
  const refuse = (why: string) => forbidden(actor.username, verb, ref, namespace, why);
  if (!can(actor, "inventory.read") && INFRASTRUCTURE_ONLY.includes(ref.kind)) throw refuse("only administrators and operators can see hosts, datacenters, networks and tasks");
  // The namespace operations decide for themselves: self-service templates, owners (lib/kube/namespace-writes.ts).
  if (!isRead(verb) && ref.kind === "Namespace") return;
  if (!isRead(verb) && ref.kind !== "VirtualMachine") throw refuse(`only administrators and operators can change ${ref.plural}`);
  let target: { kind: string; namespace?: string; name: string };
  if (namespace !== undefined) target = isRead(verb) ? { kind: "Namespace", name: namespace } : { kind: ref.kind, namespace, name: ref.name ?? "" };
  else if (ref.name) target = { kind: ref.kind, name: ref.name };
  // A list or watch across namespaces, or of a cluster-scoped kind, is narrowed instead (visibilityFor).
  else if (isRead(verb)) return;
  else throw refuse(`${ref.plural} are created in a namespace`);
  try {
    await authorize(actor, isRead(verb) ? "read" : "operate", target, db);
  } catch (error) {
    // kubectl apply reads a namespace before creating it: one that does not exist is NotFound, not Forbidden.
    if (error instanceof ForbiddenError && ref.kind === "Namespace" && isRead(verb) && ref.name && !(await getObject(db, { kind: "Namespace", namespace: "", name: ref.name }))) return;
    if (error instanceof ForbiddenError) throw refuse(error.message);
    throw error;
  }
}

export interface KubeVisibility {
  /** Namespaced kinds: the namespaces whose objects may be returned; null for all. */
  namespaces: string[] | null;
  /** Cluster-scoped kinds: the names that may be returned; null for all. */
  names: string[] | null;
  /** The same by identity, for what a watch reads from the change log (see canSeeByIdentity). */
  scope: AccessScope;
}

/** What a list or watch of `resource` may return to the actor: a developer's `kubectl get vm -A` shows their namespaces. */
export async function visibilityFor(actor: KubeActor, resource: ApiResource, db: Db): Promise<KubeVisibility> {
  if (can(actor, "inventory.read")) return { namespaces: null, names: null, scope: EVERYTHING };
  const scope = await readAccessScope(actor, db);
  if (scope.all) return { namespaces: null, names: null, scope };
  const namespaces = [...scope.namespaces.keys()];
  if (resource.namespaced) return { namespaces, names: null, scope };
  if (resource.kind === "Namespace") return { namespaces: null, names: namespaces, scope };
  const prefix = `${resource.kind}/`;
  return { namespaces: null, names: [...scope.infrastructure].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)), scope };
}
