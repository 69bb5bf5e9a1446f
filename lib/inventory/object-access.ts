// Looks up what lib/auth/authorize.ts needs to decide about an object named only by its uid (object
// pages and their tabs, the object routes, its tasks and events), and asks it. An object the reader
// may not see is answered exactly as one that does not exist, so a uid tells nothing about what is
// behind it: not its kind, its name or its namespace.
import "server-only";
import { cache } from "react";
import { authorize, can, canSee, isAuthorized, readAccessScope, visibilitySql, type AccessScope, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { NotFoundError } from "@/lib/errors";
import { readFolderSummary } from "@/lib/inventory/folder-reads";
import { isUid, readObjectView, type ObjectView } from "@/lib/inventory/object-view";

const NOT_FOUND = "This object does not exist, or is not in one of your namespaces.";

export async function authorizeObject(actor: UserActor, verb: Verb, uid: string): Promise<void> {
  const { rows } = isUid(uid) ? await getPool().query<{ kind: string; namespace: string; name: string }>(`SELECT kind, namespace, name FROM resources WHERE uid = $1`, [uid]) : { rows: [] };
  const ref = rows[0];
  if (ref && (await isAuthorized(actor, "read", ref))) return authorize(actor, verb, ref);
  // A deleted object's history stays readable for those who could read everything.
  if (!ref && verb === "read" && can(actor, "inventory.read")) return;
  throw new NotFoundError(NOT_FOUND);
}

/** An object page's object (read once per request), or null when it does not exist or the reader may not see it. */
export const readObjectForReader = cache(async (actor: UserActor, uid: string): Promise<ObjectView | null> => {
  const object = await readObjectView(uid);
  return object && (await isAuthorized(actor, "read", object)) ? markClosedLinks(actor, object) : null;
});

/**
 * The related objects the reader may not open (a developer's VM names its host) keep their names
 * but are marked, so the page shows them as text instead of links into "not found". A folder seen
 * only as the path to one below it shows without its permissions, which are its members' to read.
 */
async function markClosedLinks(actor: UserActor, object: ObjectView): Promise<ObjectView> {
  const scope = await readAccessScope(actor);
  if (scope.all) return object;
  const related = Object.fromEntries(Object.entries(object.related).map(([role, link]) => [role, canSee(scope, link) ? link : { ...link, closed: true as const }]));
  const stats = await readerStats(object, scope);
  if (object.kind === "Folder" && !scope.folders.has(object.uid)) {
    const { permissions: _hidden, ...spec } = object.spec;
    return { ...object, related, stats, spec, permissionsHidden: true };
  }
  return { ...object, related, stats };
}

/**
 * A datacenter's and a folder's counts as a developer whom a folder permission reaches may learn
 * them: only the folders and VMs they see (a datacenter's clusters, hosts, datastores and networks not at all).
 */
async function readerStats(object: ObjectView, scope: AccessScope): Promise<Record<string, number>> {
  if (object.kind === "Folder") {
    const summary = await readFolderSummary(object.uid, scope);
    return summary ? { folders: summary.folders, members: summary.members, membersBelow: summary.membersBelow } : object.stats;
  }
  if (object.kind !== "Datacenter") return object.stats;
  const values: unknown[] = [object.name];
  const visible = visibilitySql(scope, { kind: "r.kind", namespace: "r.namespace", name: "r.name", labels: "r.labels" }, (value) => `$${values.push(value)}`);
  const { rows } = await getPool().query<{ vms: number; vmsPoweredOn: number }>(
    `SELECT count(*)::int AS vms, (count(*) FILTER (WHERE r.status->>'powerState' = 'PoweredOn'))::int AS "vmsPoweredOn" FROM resources r
      WHERE r.kind = 'VirtualMachine' AND r.labels->>'skylight.io/cluster' IN (SELECT name FROM resources WHERE kind = 'Cluster' AND spec->>'datacenter' = $1) AND ${visible}`,
    values,
  );
  return rows[0] ?? {};
}
