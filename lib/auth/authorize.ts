// The one place that decides what a signed-in user may do. Global roles grant global permissions
// (`can`, `assertCan`); inside a namespace a user's role there (view, edit, owner; given directly
// or through a group) decides (`authorize`), and administrators and operators hold every namespace.
// Pages, server actions, route handlers, the engine and the Kubernetes API all ask here.
//
// For a user known only by id (the Kubernetes API's bearer tokens):
//   const actor = await actorForUser(userId);            // null: no such user, or disabled
//   await visibleNamespaces(actor)                       // [{ name, role }], everything for operators
//   await authorize(actor, "operate", { kind: "VirtualMachine", namespace, name })  // or ForbiddenError
//   const scope = await readAccessScope(actor);          // for lists: canSee(scope, ref), visibilitySql(…)
//                                                        // tasks, events: identityVisibilitySql(…)
import { getPool, type Db } from "@/lib/db/pool";
import { readSeenFolders, type SeenFolder } from "@/lib/auth/folder-access";
import { higherRole, readNamespaceGrants, readNamespaceRoles, readSelfServedNamespace, readUsedInfrastructure, roleAtLeast } from "@/lib/auth/namespace-access";
import { roleSchema, type Role } from "@/lib/auth/roles";
import type { NamespaceRole } from "@/lib/engine/schemas";
import { ForbiddenError } from "@/lib/errors";
import { isCustomResourceKind } from "@/lib/inventory/kinds";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

export type GlobalPermission = "users.manage" | "namespaces.manage" | "alarms.manage" | "inventory.read" | "inventory.operate" | "simulator.injectFailures" | "customResourceDefinitions.manage" | "tags.manage";

const GRANTS: Record<Role, readonly GlobalPermission[]> = {
  administrator: ["users.manage", "namespaces.manage", "alarms.manage", "inventory.read", "inventory.operate", "simulator.injectFailures", "customResourceDefinitions.manage", "tags.manage"],
  operator: ["inventory.read", "inventory.operate"],
  developer: [],
};

const REFUSALS: Record<GlobalPermission, string> = {
  "users.manage": "Only administrators can manage users and groups.",
  "namespaces.manage": "Only administrators can create, edit and delete namespaces and self-service templates.",
  "inventory.read": "Only administrators and operators can see the whole inventory.",
  "inventory.operate": "Only administrators and operators can operate the inventory.",
  "simulator.injectFailures": "Only administrators can fail and recover simulated hosts.",
  "alarms.manage": "Only administrators can create and edit alarm definitions.",
  "customResourceDefinitions.manage": "Only administrators can create, change and delete CustomResourceDefinitions.",
  "tags.manage": "Only administrators can create, edit and delete tag categories, tags and custom attributes.",
};

export interface Actor {
  id: string;
  role: Role;
}

/** A user as the namespace rules see them: permissions name users by username. */
export interface UserActor extends Actor {
  username: string;
  /** The administrator acting as this user through the Kubernetes API's impersonation (lib/kube/impersonation.ts). */
  impersonatedBy?: string;
}

/** Who a task and audit event name as having acted: "admin as dev" for an impersonated request. */
export const auditName = (actor: UserActor) => (actor.impersonatedBy ? `${actor.impersonatedBy} as ${actor.username}` : actor.username);

export function can(actor: Actor, permission: GlobalPermission): boolean {
  return GRANTS[actor.role].includes(permission);
}

export function assertCan(actor: Actor, permission: GlobalPermission): void {
  if (!can(actor, permission)) throw new ForbiddenError(REFUSALS[permission]);
}

/** The enabled user with this id, or null. */
export async function actorForUser(userId: string, db: Db = getPool()): Promise<UserActor | null> {
  const { rows } = await db.query<{ id: string; username: string | null; email: string; role: string; banned: boolean }>(
    `SELECT id, username, email, role, banned FROM users WHERE id = $1`,
    [userId],
  );
  const user = rows[0];
  if (!user || user.banned) return null;
  const role = roleSchema.safeParse(user.role);
  return { id: user.id, username: user.username ?? user.email, role: role.success ? role.data : "developer" };
}

/**
 * read: see the object. operate: a VM's lifecycle (create, power, class, snapshots, delete), a
 * pod's commands (exec, attach, port-forward), and
 * for administrators and operators any infrastructure operation. managePermissions: change who
 * may use a namespace.
 */
export type Verb = "read" | "operate" | "managePermissions";

export interface ObjectRef {
  kind: string;
  /** "" or absent for cluster-scoped objects (a Namespace itself is cluster-scoped). */
  namespace?: string;
  name: string;
  /** A VM's folder (uid), when known: canSee admits a VM through its folder's permissions by it. */
  folder?: string | null;
}

export type AccessScope =
  | { all: true }
  | {
      all: false;
      namespaces: ReadonlyMap<string, NamespaceRole>;
      infrastructure: ReadonlySet<string>;
      /** The same namespaces and infrastructure objects by identity, for records that outlive a name. */
      namespaceUids: readonly string[];
      infrastructureUids: readonly string[];
      /**
       * The VM folders the actor holds a role on (granted there or above), uid → role: their VMs are
       * visible whatever their namespace. Every folder they see, the path down to those included,
       * is in `infrastructure` as "Folder/<name>", with its datacenter.
       */
      folders: ReadonlyMap<string, NamespaceRole>;
      /** The uids of every folder they see (the navigator shows folders to whoever sees one). */
      seenFolderUids: readonly string[];
    };

/** The scope of administrators and operators, and of the engine's own reads. */
export const EVERYTHING: AccessScope = { all: true };

/**
 * Everything an actor may see, read once per request and applied to lists, search and the tree.
 * `folders: false` leaves folder permissions out: the Kubernetes API's reads, where they do not apply.
 */
export async function readAccessScope(actor: UserActor, db: Db = getPool(), options: { folders: boolean } = { folders: true }): Promise<AccessScope> {
  if (can(actor, "inventory.read")) return EVERYTHING;
  const grants = await readNamespaceGrants(db, actor);
  const namespaceUids = [...grants.values()].map((grant) => grant.uid);
  const [infrastructure, seen] = await Promise.all([readUsedInfrastructure(db, namespaceUids), options.folders ? readSeenFolders(db, actor) : new Map<string, SeenFolder>()]);
  const folders = new Map([...seen].flatMap(([uid, folder]) => (folder.role ? [[uid, folder.role] as const] : [])));
  return {
    all: false,
    namespaces: new Map([...grants].map(([name, grant]) => [name, grant.role])),
    infrastructure: new Set([...infrastructure.keys(), ...[...seen.values()].flatMap((folder) => [`Folder/${folder.name}`, `Datacenter/${folder.datacenter}`])]),
    namespaceUids,
    // A folder seen only as a path is not identity-visible: its history (and the permissions its audit events show) stays its members'.
    infrastructureUids: [...infrastructure.values(), ...folders.keys()],
    folders,
    seenFolderUids: [...seen.keys()],
  };
}

/** Whether any VM lifecycle action can succeed for the actor: buttons show only then. */
export function operatesVms(actor: Actor, scope: AccessScope): boolean {
  return deploysVms(actor, scope) || (!scope.all && [...scope.folders.values()].some((role) => roleAtLeast(role, "edit")));
}

/** Whether the actor may deploy a VM somewhere: a folder's permissions operate the VMs in it, but deploy into no namespace. */
export function deploysVms(actor: Actor, scope: AccessScope): boolean {
  return can(actor, "inventory.operate") || (!scope.all && [...scope.namespaces.values()].some((role) => roleAtLeast(role, "edit")));
}

export interface VisibleNamespace {
  name: string;
  role: NamespaceRole;
}

/** The namespaces the actor can see, with their role in each (owner of all for operators). */
export async function visibleNamespaces(actor: UserActor, db: Db = getPool()): Promise<VisibleNamespace[]> {
  if (can(actor, "inventory.read")) {
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Namespace' AND namespace = '' ORDER BY name`);
    return rows.map((row) => ({ name: row.name, role: "owner" }));
  }
  const roles = await readNamespaceRoles(db, actor);
  return [...roles].map(([name, role]) => ({ name, role })).sort((a, b) => a.name.localeCompare(b.name));
}

const namespaceOf = (ref: ObjectRef) => (ref.kind === "Namespace" ? ref.name : ref.namespace || null);

export function canSee(scope: AccessScope, ref: ObjectRef): boolean {
  if (scope.all) return true;
  if (ref.kind === "VirtualMachine" && ref.folder && scope.folders.has(ref.folder)) return true;
  const namespace = namespaceOf(ref);
  return namespace !== null ? scope.namespaces.has(namespace) : scope.infrastructure.has(`${ref.kind}/${ref.name}`);
}

/** A `resources` row's folder, as SQL over the row's labels. */
export const folderOfRowSql = (labels: string) => `${labels}->>'${FOLDER_LABEL}'`;

/**
 * The SQL condition "the actor can see this row", over the row's kind, namespace, name and labels
 * expressions; `bind` adds a parameter and returns its placeholder (once per use).
 */
export function visibilitySql(scope: AccessScope, columns: { kind: string; namespace: string; name: string; labels: string }, bind: (value: unknown) => string): string {
  if (scope.all) return "TRUE";
  const { kind, namespace, name } = columns;
  const namespaces = [...scope.namespaces.keys()];
  const inFolder = scope.folders.size > 0 ? `\n    OR (${kind} = 'VirtualMachine' AND ${folderOfRowSql(columns.labels)} = ANY(${bind([...scope.folders.keys()])}::text[]))` : "";
  return `((${namespace} <> '' AND ${namespace} = ANY(${bind(namespaces)}::text[]))
    OR (${namespace} = '' AND ${kind} = 'Namespace' AND ${name} = ANY(${bind(namespaces)}::text[]))
    OR (${namespace} = '' AND ${kind} <> 'Namespace' AND (${kind} || '/' || ${name}) = ANY(${bind([...scope.infrastructure])}::text[]))${inFolder})`;
}

/**
 * The SQL condition "the actor can see this object", by identity: over the object's uid and the uid
 * of the namespace it lives in (for a task or event, lived in when it was written; null for a
 * Namespace and for infrastructure). A name never decides, so the history of a deleted namespace
 * stays with it and a later namespace of the same name starts with none, and a scope held for a
 * while (a live stream's) never admits a namespace re-created under a name it knew. A Namespace's
 * own records and infrastructure's are visible to whoever can see that very object.
 */
export function identityVisibilitySql(scope: AccessScope, columns: { uid: string; namespaceUid: string }, bind: (value: unknown) => string): string {
  if (scope.all) return "TRUE";
  // The VMs in the actor's folders are looked up once per statement (an uncorrelated subquery), where they are now.
  const inFolder = scope.folders.size > 0
    ? `\n    OR ${columns.uid} IN (SELECT v.uid FROM resources v WHERE v.kind = 'VirtualMachine' AND ${folderOfRowSql("v.labels")} = ANY(${bind([...scope.folders.keys()])}::text[]))`
    : "";
  return `(${columns.namespaceUid} = ANY(${bind(scope.namespaceUids)}::uuid[])
    OR ${columns.uid} = ANY(${bind([...scope.namespaceUids, ...scope.infrastructureUids])}::uuid[])${inFolder})`;
}

/** identityVisibilitySql's decision for one object in memory (`namespaceUid` null outside a namespace). */
export function canSeeByIdentity(scope: AccessScope, ids: { uid: string; namespaceUid: string | null }): boolean {
  if (scope.all) return true;
  return (ids.namespaceUid !== null && scope.namespaceUids.includes(ids.namespaceUid)) || scope.namespaceUids.includes(ids.uid) || scope.infrastructureUids.includes(ids.uid);
}

/** The kinds a namespace's edit role operates, as its refusals name them. */
const WORKLOAD_NOUNS: Record<string, string> = {
  VirtualMachine: "VMs",
  Pod: "pods",
  Deployment: "deployments",
  ReplicaSet: "replica sets",
  ConfigMap: "config maps",
  Secret: "secrets",
  Lease: "leases",
  Event: "events",
};

/**
 * Whether a namespace role reads objects of `kind` there: every role reads everything but Secrets,
 * which need the edit role, as Kubernetes' aggregated view role leaves secrets out.
 */
export function roleReads(role: NamespaceRole, kind: string): boolean {
  return kind !== "Secret" || roleAtLeast(role, "edit");
}

/** How many of a user's namespaces the refusal in `default` names. */
const NAMESPACES_NAMED = 5;

/** Why someone other than an administrator may not change what is in `default`, and where to deploy instead. */
async function systemNamespaceRefusal(actor: UserActor, db: Db): Promise<string> {
  const system = `${SYSTEM_NAMESPACE} is Skylight's system namespace, which only administrators change`;
  if (can(actor, "inventory.operate")) return `${system}: deploy into another namespace with -n <namespace> or \`kubectl config use-context <namespace>\`.`;
  const why = `${system}; developers deploy into their own namespaces`;
  const own = [...(await readNamespaceRoles(db, actor))].filter(([name, role]) => name !== SYSTEM_NAMESPACE && roleAtLeast(role, "edit")).map(([name]) => name).sort();
  if (own.length === 0) return `${why}, and you have none yet: create one with \`kubectl create namespace <name>\` if a self-service template admits you, or ask an administrator for one.`;
  const named = own.length > NAMESPACES_NAMED ? `${own.slice(0, NAMESPACES_NAMED).join(", ")} and ${own.length - NAMESPACES_NAMED} more` : own.join(", ");
  return `${why}: use -n ${own[0]} or \`kubectl config use-context ${own[0]}\` (yours: ${named}).`;
}

/** Why the actor may not do `verb` to `ref`, or null when they may. */
async function refusal(actor: UserActor, verb: Verb, ref: ObjectRef, db: Db): Promise<string | null> {
  if (verb !== "read" && namespaceOf(ref) === SYSTEM_NAMESPACE && !can(actor, "namespaces.manage")) return systemNamespaceRefusal(actor, db);
  if (can(actor, "inventory.read")) {
    if (verb === "read" || can(actor, "inventory.operate")) return null;
    return REFUSALS["inventory.operate"];
  }
  const namespace = namespaceOf(ref);
  if (ref.kind === "Folder") return folderRefusal(actor, verb, ref.name, db);
  if (namespace === null) {
    if (verb !== "read") return `Only administrators and operators can change ${ref.kind === "Host" ? "hosts" : isCustomResourceKind(ref.kind) ? `${ref.kind} objects` : `${ref.kind.toLowerCase()}s`}.`;
    return canSee(await readAccessScope(actor, db), ref) ? null : `${ref.kind} ${ref.name} is not used by any of your namespaces.`;
  }
  const namespaceRole = (await readNamespaceRoles(db, actor, namespace)).get(namespace);
  const folderRole = ref.kind === "VirtualMachine" && !roleAtLeast(namespaceRole, verb === "read" ? "view" : "edit") ? await vmFolderRole(actor, namespace, ref.name, db) : undefined;
  const role = higherRole(namespaceRole, folderRole);
  if (!role) return `You have no access to namespace ${namespace}.`;
  switch (verb) {
    case "read":
      return roleReads(role, ref.kind) ? null : `You can view namespace ${namespace} but not its secrets: reading secrets needs the edit or owner role.`;
    case "operate":
      if (!Object.hasOwn(WORKLOAD_NOUNS, ref.kind) && !isCustomResourceKind(ref.kind)) return `Only administrators and operators can change the ${ref.kind === "Namespace" ? "namespace" : ref.kind} ${ref.name} itself.`;
      if (roleAtLeast(role, "edit")) return null;
      if (!namespaceRole) return `You can view VM ${ref.name} through its folder's permissions but not change it: operating it needs the edit or owner role on its folder.`;
      return `You can view namespace ${namespace} but not change it: operating its ${WORKLOAD_NOUNS[ref.kind] ?? `${ref.kind} objects`} needs the edit or owner role.`;
    case "managePermissions":
      return role === "owner" ? null : `Only owners of namespace ${namespace}, administrators and operators can change its labels, annotations and who may use it.`;
  }
}

/**
 * A VM's role through the folders above it: their highest, but at most edit, since a folder's
 * permissions give its VMs' read and lifecycle only, never the namespace's own (its permissions,
 * labels, quota). Undefined when the VM is in no folder the actor holds a role on.
 */
async function vmFolderRole(actor: UserActor, namespace: string, name: string, db: Db): Promise<NamespaceRole | undefined> {
  if (!name) return undefined;
  const { rows } = await db.query<{ folder: string | null }>(`SELECT ${folderOfRowSql("labels")} AS folder FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2`, [namespace, name]);
  const folder = rows[0]?.folder;
  const role = folder ? (await readSeenFolders(db, actor)).get(folder)?.role : undefined;
  return role === "owner" ? "edit" : role;
}

/**
 * A folder, to someone who does not see the whole inventory: they read the folders they hold a role
 * on and the path down to them; an owner of the folder (there or above) changes its permissions;
 * its name, place and contents stay administrators' and operators'.
 */
async function folderRefusal(actor: UserActor, verb: Verb, name: string, db: Db): Promise<string | null> {
  const folder = [...(await readSeenFolders(db, actor)).values()].find((seen) => seen.name === name);
  if (verb === "operate") return "Only administrators and operators can create, rename, move and delete folders and move VMs between them.";
  if (verb === "read") return folder ? null : `You have no role on folder ${name}.`;
  return folder?.role === "owner" ? null : `Only owners of folder ${name}, administrators and operators can change who may use it.`;
}

export async function isAuthorized(actor: UserActor, verb: Verb, ref: ObjectRef, db: Db = getPool()): Promise<boolean> {
  return (await refusal(actor, verb, ref, db)) === null;
}

/** New Namespace through a cluster's template: administrators, and members of the template's groups. */
export async function authorizeSelfService(actor: UserActor, template: { cluster: string; groups: string[] }, db: Db = getPool()): Promise<void> {
  if (can(actor, "namespaces.manage")) return;
  const { rowCount } = await db.query(
    `SELECT 1 FROM user_groups g JOIN user_group_members m ON m.group_id = g.id WHERE m.user_id = $1 AND g.name = ANY($2::text[])`,
    [actor.id, template.groups],
  );
  if (!rowCount) {
    const groups = template.groups.length ? `members of ${template.groups.join(", ")}` : "no group yet";
    throw new ForbiddenError(`Self-service namespaces on ${template.cluster} are for ${groups}; ask an administrator to add you.`);
  }
}

/**
 * Why the actor may not delete the namespace, or null when they may: administrators delete any;
 * anyone else only one they created through a self-service template and still own, while that
 * template lets owners delete (as vSphere's self-service namespaces do).
 */
export async function namespaceDeleteRefusal(actor: UserActor, namespace: string, db: Db = getPool()): Promise<string | null> {
  if (can(actor, "namespaces.manage")) return null;
  const role = can(actor, "inventory.read") ? "owner" : (await readNamespaceRoles(db, actor, namespace)).get(namespace);
  if (!role) return `You have no access to namespace ${namespace}.`;
  const served = await readSelfServedNamespace(db, namespace);
  if (!served) return `Only administrators can delete namespace ${namespace}: it was not created through self-service.`;
  if (served.creatorId !== actor.id) return `Only administrators and its creator can delete namespace ${namespace}: someone else created it through self-service.`;
  if (role !== "owner") return `You are no longer an owner of namespace ${namespace}, so you cannot delete it.`;
  if (!served.ownersMayDelete) return `The self-service template of ${served.cluster} does not let owners delete their namespaces; ask an administrator to delete ${namespace}.`;
  return null;
}

export async function authorizeNamespaceDelete(actor: UserActor, namespace: string, db: Db = getPool()): Promise<void> {
  const reason = await namespaceDeleteRefusal(actor, namespace, db);
  if (reason) throw new ForbiddenError(reason);
}

/** Throws ForbiddenError, with a message saying why, unless the actor may do `verb` to `ref`. */
export async function authorize(actor: UserActor, verb: Verb, ref: ObjectRef, db: Db = getPool()): Promise<void> {
  const reason = await refusal(actor, verb, ref, db);
  if (reason) throw new ForbiddenError(reason);
}

/** What a token may do with a namespace's container images (the OCI registry, lib/registry/). */
export type ImageAction = "pull" | "push";

/**
 * Why the actor may not pull a namespace's images, or push and delete them, or null when they may:
 * the view role pulls, edit and owner push and delete; administrators and operators do both everywhere.
 */
export async function imageRefusal(actor: UserActor, action: ImageAction, namespace: string, db: Db = getPool()): Promise<string | null> {
  if (can(actor, "inventory.operate")) return null;
  const role = (await readNamespaceRoles(db, actor, namespace)).get(namespace);
  if (!role) return `You have no access to namespace ${namespace}.`;
  if (action === "pull" || roleAtLeast(role, "edit")) return null;
  return `You can view namespace ${namespace} but not change it: pushing and deleting its images needs the edit or owner role.`;
}
