// Who may do what through the Kubernetes API, decided by the console's own rules
// (lib/auth/authorize.ts): administrators and operators read and operate everything; a developer
// reads their namespaces, what those namespaces use, operates VMs where their role is edit or
// owner, and creates and changes namespaces as the namespace operations allow. This module only
// turns those answers into kube-apiserver's Forbidden and list filters. Every write is decided
// here before its body is read, so no client body is interpreted for someone who may not write.
import { assertCan, authorize, authorizeSelfService, can, EVERYTHING, readAccessScope, type AccessScope } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { getObject } from "@/lib/engine/object-store";
import { readSelfServiceTemplates } from "@/lib/engine/self-service-template";
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
  if (!isRead(verb) && ref.kind === "Namespace") return authorizeNamespaceWrite(actor, verb, ref, db, refuse);
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

const allowed = (decision: Promise<void>) =>
  decision.then(
    () => true,
    (error: unknown) => {
      if (error instanceof ForbiddenError) return false;
      throw error;
    },
  );

/**
 * A developer's namespace write, decided before its body is read by the most any body could need:
 * deleting needs an administrator; changing an existing namespace needs its owner role (its labels
 * and permissions; its allowances need an administrator, which the namespace operation decides);
 * creating one (or applying one that does not exist) needs a self-service template open to them.
 */
async function authorizeNamespaceWrite(actor: KubeActor, verb: Verb, ref: ResourceRef, db: Db, refuse: (why: string) => Error): Promise<void> {
  try {
    if (verb === "delete") assertCan(actor, "namespaces.manage");
    const existing = ref.name ? await getObject(db, { kind: "Namespace", namespace: "", name: ref.name }) : null;
    if (existing) return await authorize(actor, "managePermissions", { kind: "Namespace", name: ref.name! }, db);
  } catch (error) {
    if (error instanceof ForbiddenError) throw refuse(error.message);
    throw error;
  }
  if (verb === "update") return;
  for (const template of await readSelfServiceTemplates(db)) if (await allowed(authorizeSelfService(actor, template, db))) return;
  throw refuse("no self-service template lets you create namespaces; ask an administrator to add you to a template's group");
}

export interface KubeVisibility {
  /** Namespaced kinds: the namespaces whose objects may be returned; null for all. */
  namespaces: string[] | null;
  /** Cluster-scoped kinds: the names that may be returned; null for all. */
  names: string[] | null;
  /** The same by identity, for what a watch reads from the change log (see canSeeByIdentity). */
  scope: AccessScope;
}

const sorted = (names: string[] | null) => (names ? [...names].sort() : null);
/** The uids a scope admits by identity: a namespace re-created under a known name is another one. */
const identities = (scope: AccessScope) => (scope.all ? null : [sorted([...scope.namespaceUids]), sorted([...scope.infrastructureUids])]);

/** Whether two visibilities let the same objects through, whatever order their names came in. */
export const sameVisibility = (a: KubeVisibility, b: KubeVisibility) =>
  JSON.stringify([sorted(a.namespaces), sorted(a.names), identities(a.scope)]) === JSON.stringify([sorted(b.namespaces), sorted(b.names), identities(b.scope)]);

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
