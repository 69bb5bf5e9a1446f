// Who may do what through the Kubernetes API, decided by the console's own rules
// (lib/auth/authorize.ts): administrators and operators read and operate everything; a developer
// reads their namespaces, what those namespaces use (but a namespace's Secrets only with its edit
// role), operates VMs, pods, ConfigMaps, Secrets, Leases, Events and custom resources where their
// role is edit or owner (as kube's aggregated view and edit roles extend to custom resources),
// writes ServiceAccounts and mints their tokens (serviceaccounts/token) where it is owner (a service
// account is one more subject of the namespace's permissions), and creates, changes and deletes
// namespaces as the namespace operations allow (a self-served one its creator may delete). A service account's token acts as a developer. Everyone reads
// the CustomResourceDefinitions; only administrators write them. This module only
// turns those answers into kube-apiserver's Forbidden and list filters. Every write is decided
// here before its body is read, so no client body is interpreted for someone who may not write.
// A namespace a developer holds no role in is indistinguishable from one that does not exist:
// reading it is NotFound, and every write but a create is Forbidden in the same words. Everyone
// reads `default` and the one Service; only administrators write in `default`.
import { authorize, authorizeNamespaceDelete, authorizeSelfService, can, EVERYTHING, readAccessScope, roleReads, type AccessScope } from "@/lib/auth/authorize";
import type { Db } from "@/lib/db/pool";
import { getObject } from "@/lib/engine/object-store";
import { readSelfServiceTemplates } from "@/lib/engine/self-service-template";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { ForbiddenError } from "@/lib/errors";
import { forbidden, notFound, type ResourceRef } from "@/lib/kube/api-status";
import { READ_VERBS, type ApiResource, type Verb } from "@/lib/kube/api-resources";
import type { TokenUser } from "@/lib/kube/api-tokens";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";
import { isCustomResourceKind } from "@/lib/inventory/kinds";
import { NODE_LEASE_NAMESPACE } from "@/lib/engine/operations/node-operations";

export type KubeActor = OperationActor;

/** Folder permissions hold in the console only: kubectl lists and watches namespaces, which know no folders. */
export const KUBE_SCOPE = { folders: false } as const;

export function actorForTokenUser(user: TokenUser): KubeActor {
  return { id: user.id, username: user.username, role: user.role };
}

/** Kinds a developer never sees, as in the console. */
const INFRASTRUCTURE_ONLY: readonly string[] = ["Host", "Node", "NodeMetrics", "Datacenter", "Network", "Task"];

/** Kinds a developer with the edit role changes in their namespaces. */
const DEVELOPER_WRITABLE: readonly string[] = ["VirtualMachine", "Pod", "Deployment", "ReplicaSet", "ConfigMap", "Secret", "Lease", "Event", "ServiceAccount"];

/** Kinds whose writes need the owner role (authorize.ts's managePermissions), not only edit. */
const OWNER_WRITABLE: readonly string[] = ["ServiceAccount"];

/** Kinds read with a role on the object itself, not only on its namespace (a Secret needs the edit role). */
const READ_BY_OBJECT: readonly string[] = ["Secret"];

const isRead = (verb: Verb) => (READ_VERBS as readonly string[]).includes(verb);

/** What the request line and headers say of a write, before its body is read. */
export interface WriteIntent {
  /** A server-side apply to the object itself (not its status): to a name that does not exist, a create. */
  applies?: boolean;
}

/** Throws a Forbidden Status unless the actor may `verb` the resource (in `namespace`, if namespaced). */
export async function authorizeKube(actor: KubeActor, verb: Verb, ref: ResourceRef, namespace: string | undefined, db: Db, intent: WriteIntent = {}): Promise<void> {
  const refuse = (why: string) => forbidden(actor.username, verb, ref, namespace, why);
  // Operators too: only administrators create namespaces other than through self-service, and delete others than their own self-served ones.
  if (!isRead(verb) && ref.kind === "Namespace") return authorizeNamespaceWrite(actor, verb, ref, intent, db, refuse);
  // The one Service describes this API server, which every token holder already reaches.
  if (isRead(verb) && ref.kind === "Service") return;
  // Definitions say which kinds the API serves, as discovery does to everyone; only administrators change them.
  if (ref.kind === "CustomResourceDefinition") {
    if (!isRead(verb) && !can(actor, "customResourceDefinitions.manage")) throw refuse("only administrators can create, change and delete CustomResourceDefinitions");
    return;
  }
  // The host agents' heartbeats are theirs alone (lib/kube/host-agent-requests.ts), whoever asks.
  if (!isRead(verb) && namespace === NODE_LEASE_NAMESPACE) throw refuse(`the leases in ${NODE_LEASE_NAMESPACE} are the host agents' heartbeats, which only each host's agent writes`);
  // Operators write everywhere but here: authorize.ts says why, and where to deploy instead.
  if (!isRead(verb) && namespace === SYSTEM_NAMESPACE && !can(actor, "namespaces.manage")) {
    return authorize(actor, "operate", { kind: ref.kind, namespace, name: ref.name ?? "" }, db).catch((error: unknown) => {
      throw error instanceof ForbiddenError ? refuse(error.message) : error;
    });
  }
  if (can(actor, isRead(verb) ? "inventory.read" : "inventory.operate")) return;
  // A write is refused for what it would change, before whether the kind may be seen: a patch of a host says so.
  if (!isRead(verb) && !DEVELOPER_WRITABLE.includes(ref.kind) && !isCustomResourceKind(ref.kind)) throw refuse(`only administrators and operators can change ${ref.plural}`);
  if (!can(actor, "inventory.read") && INFRASTRUCTURE_ONLY.includes(ref.kind)) throw refuse("only administrators and operators can see hosts, datacenters, networks and tasks");
  let target: { kind: string; namespace?: string; name: string };
  if (namespace !== undefined) target = isRead(verb) && !READ_BY_OBJECT.includes(ref.kind) ? { kind: "Namespace", name: namespace } : { kind: ref.kind, namespace, name: ref.name ?? "" };
  else if (ref.name) target = { kind: ref.kind, name: ref.name };
  // A list or watch across namespaces, or of a cluster-scoped kind, is narrowed instead (visibilityFor).
  else if (isRead(verb)) return;
  else throw refuse(`${ref.plural} are created in a namespace`);
  try {
    // A role in the namespace first, so a VM's folder permissions (console only) never admit a kube write.
    if (namespace !== undefined && !isRead(verb)) await authorize(actor, "read", { kind: "Namespace", name: namespace }, db);
    await authorize(actor, isRead(verb) ? "read" : OWNER_WRITABLE.includes(ref.kind) ? "managePermissions" : "operate", target, db);
  } catch (error) {
    // A namespace the developer cannot see reads as a missing one, which kubectl apply needs to be
    // NotFound before it creates one; objects inside either stay Forbidden.
    if (error instanceof ForbiddenError && ref.kind === "Namespace" && ref.name) throw notFound({ ...ref, name: ref.name });
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

const NO_TEMPLATE = "no self-service template lets you create namespaces; ask an administrator to add you to a template's group";

/** Administrators, and whoever a self-service template admits. */
async function mayCreateNamespaces(actor: KubeActor, db: Db): Promise<boolean> {
  if (can(actor, "namespaces.manage")) return true;
  for (const template of await readSelfServiceTemplates(db)) if (await allowed(authorizeSelfService(actor, template, db))) return true;
  return false;
}

/**
 * A namespace write, decided before its body is read by the most any body could need. Creating
 * one (POST, or applying a name that does not exist) needs an administrator or a self-service
 * template open to the actor. Any other write needs the namespace to be visible (a developer
 * without a role in it, or with it missing, is refused in the same words), then an administrator
 * or its self-service creator (authorizeNamespaceDelete) to delete it, or its owner role (or an
 * operator) to change it; its allowances need an administrator, which the namespace operation decides.
 */
async function authorizeNamespaceWrite(actor: KubeActor, verb: Verb, ref: ResourceRef, intent: WriteIntent, db: Db, refuse: (why: string) => Error): Promise<void> {
  if (can(actor, "namespaces.manage")) return;
  const creates = verb === "create" || (intent.applies === true && !(await getObject(db, { kind: "Namespace", namespace: "", name: ref.name ?? "" })));
  if (creates && (await mayCreateNamespaces(actor, db))) return;
  if (verb === "create") throw refuse(NO_TEMPLATE);
  const namespace = { kind: "Namespace", name: ref.name ?? "" };
  try {
    // Both first ask for a role in the namespace ("You have no access to namespace x."), which a
    // missing namespace lacks as a hidden one does: the two are refused in the same words.
    await authorize(actor, creates || verb === "delete" ? "read" : "managePermissions", namespace, db);
    if (verb === "delete") await authorizeNamespaceDelete(actor, ref.name ?? "", db);
  } catch (error) {
    if (error instanceof ForbiddenError) throw refuse(error.message);
    throw error;
  }
  // An operator (who sees every namespace) applying a new one.
  if (creates) throw refuse(NO_TEMPLATE);
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
  if (can(actor, "inventory.read") || resource.kind === "CustomResourceDefinition") return { namespaces: null, names: null, scope: EVERYTHING };
  const scope = await readAccessScope(actor, db, KUBE_SCOPE);
  if (scope.all) return { namespaces: null, names: null, scope };
  const namespaces = [...scope.namespaces.keys()];
  if (resource.namespaced) return { namespaces: namespaces.filter((name) => roleReads(scope.namespaces.get(name)!, resource.kind)), names: null, scope };
  if (resource.kind === "Namespace") return { namespaces: null, names: namespaces, scope };
  const prefix = `${resource.kind}/`;
  return { namespaces: null, names: [...scope.infrastructure].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)), scope };
}
