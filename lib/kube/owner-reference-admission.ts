// The ownerReferences a client writes (create, update, every patch type, apply), admitted as
// kube-apiserver admits them: each names apiVersion, kind, name and uid (a UUID: the resources
// table's key), at most one is the controller (ValidateOwnerReferences' words), at most
// MAX_OWNER_REFERENCES. An owner found in another namespace than the dependent's, or a namespaced
// owner of a cluster-scoped object, is refused in the garbage collector's words (kube's collector
// could never resolve it). As kube's OwnerReferencesPermissionEnforcement plugin, a reference newly
// set to blockOwnerDeletion needs the right to change its owner (authorizeKube's update), so no
// one can hold up the deletion of something they may not change. The engine's own references are
// kept as it wrote them (withEngineOwnedReferences). Absent means none: a replace or a patch that
// drops them removes the client's references, as in kube.
import type { Db } from "@/lib/db/pool";
import { isUid } from "@/lib/engine/collector-keys";
import type { OwnerReference } from "@/lib/engine/object-store";
import { MAX_OWNER_REFERENCES } from "@/lib/kube/api-limits";
import { resourceForKind, resourceForReference, type ApiResource } from "@/lib/kube/api-resources";
import { invalid, KubeApiError, toKubeApiError, type StatusCause } from "@/lib/kube/api-status";
import { authorizeKube, type KubeActor } from "@/lib/kube/kube-access";
import { resourceRef } from "@/lib/kube/kube-reads";
import { isEngineOwnedReference, withEngineOwnedReferences } from "@/lib/vocabulary/engine-owned-metadata";

export interface OwnerAdmission {
  pool: Db;
  actor: KubeActor;
  resource: ApiResource;
}

const FIELD = "metadata.ownerReferences";
const REQUIRED = [
  ["apiVersion", "version must not be empty"],
  ["kind", "kind must not be empty"],
  ["name", "name must not be empty"],
  ["uid", "uid must not be empty"],
] as const;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The references as stored, or the causes that refuse them, in kube's words. */
function parse(requested: unknown): { references: OwnerReference[]; causes: StatusCause[] } {
  if (requested === undefined || requested === null) return { references: [], causes: [] };
  if (!Array.isArray(requested)) return { references: [], causes: [{ field: FIELD, message: "Invalid value: must be a list of ownerReferences" }] };
  if (requested.length > MAX_OWNER_REFERENCES) {
    return { references: [], causes: [{ field: FIELD, reason: "FieldValueTooMany", message: `Too many: ${requested.length}: must have at most ${MAX_OWNER_REFERENCES} items` }] };
  }
  const causes: StatusCause[] = [];
  const references = requested.map((item: unknown, index) => {
    const at = `${FIELD}[${index}]`;
    if (!isObject(item)) {
      causes.push({ field: at, message: "Invalid value: must be an ownerReference object" });
      return null;
    }
    for (const [key, rule] of REQUIRED) {
      if (typeof item[key] !== "string" || item[key] === "") causes.push({ field: `${at}.${key}`, message: `Invalid value: ${JSON.stringify(item[key] ?? "")}: ${rule}` });
    }
    if (typeof item.uid === "string" && item.uid !== "" && !isUid(item.uid)) causes.push({ field: `${at}.uid`, message: `Invalid value: ${JSON.stringify(item.uid)}: must be a UUID` });
    for (const flag of ["controller", "blockOwnerDeletion"] as const) {
      if (item[flag] !== undefined && item[flag] !== null && typeof item[flag] !== "boolean") causes.push({ field: `${at}.${flag}`, message: `Invalid value: ${JSON.stringify(item[flag])}: must be true or false` });
    }
    const reference: OwnerReference = { apiVersion: String(item.apiVersion), kind: String(item.kind), name: String(item.name), uid: String(item.uid).toLowerCase() };
    if (typeof item.controller === "boolean") reference.controller = item.controller;
    if (typeof item.blockOwnerDeletion === "boolean") reference.blockOwnerDeletion = item.blockOwnerDeletion;
    return reference;
  });
  return { references: references.filter((reference): reference is OwnerReference => reference !== null), causes };
}

const described = (reference: OwnerReference, namespace: string) =>
  `ownerRef [${reference.apiVersion}/${reference.kind}, namespace: ${namespace}, name: ${reference.name}, uid: ${reference.uid}] does not exist in namespace "${namespace}"`;

/** An owner that exists elsewhere than the dependent can have it: another namespace, or namespaced under a cluster-scoped dependent. */
async function misplacedOwners(context: OwnerAdmission, namespace: string, references: OwnerReference[]): Promise<StatusCause[]> {
  const uids = references.filter((reference) => !isEngineOwnedReference(reference)).map((reference) => reference.uid);
  if (uids.length === 0) return [];
  const { rows } = await context.pool.query<{ uid: string; namespace: string }>(`SELECT uid::text, namespace FROM resources WHERE uid = ANY($1::uuid[])`, [uids]);
  const found = new Map(rows.map((row) => [row.uid, row.namespace]));
  const causes: StatusCause[] = [];
  references.forEach((reference, index) => {
    // An owner not (yet) there is where its kind puts it; a namespaced one of a cluster-scoped object is nowhere it can be.
    const ownerNamespace = found.get(reference.uid) ?? ((resourceForReference(reference.apiVersion, reference.kind) ?? resourceForKind(reference.kind))?.namespaced ? namespace || null : "");
    if (ownerNamespace === "" || ownerNamespace === namespace) return;
    const why = context.resource.namespaced ? "an owner must be in the same namespace as its dependent" : "a cluster-scoped object cannot have a namespaced owner";
    causes.push({ field: `${FIELD}[${index}]`, message: `Invalid value: "${reference.kind}/${reference.name}": ${described(reference, namespace)}: ${why}` });
  });
  return causes;
}

/** kube's OwnerReferencesPermissionEnforcement: blockOwnerDeletion newly set needs the right to change the owner. */
async function authorizeBlocking(context: OwnerAdmission, dependent: { namespace: string; name: string }, references: OwnerReference[], current: OwnerReference[]) {
  const refused = (why: string) =>
    new KubeApiError(403, "Forbidden", `${context.resource.plural}${context.resource.group ? `.${context.resource.group}` : ""} "${dependent.name}" is forbidden: ${why}`, {
      name: dependent.name,
      group: context.resource.group,
      kind: context.resource.plural,
    });
  for (const reference of references) {
    if (reference.blockOwnerDeletion !== true || current.some((held) => held.uid === reference.uid && held.blockOwnerDeletion === true)) continue;
    const owner = resourceForReference(reference.apiVersion, reference.kind);
    if (!owner) {
      throw refused(`cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion ${reference.apiVersion} Kind ${reference.kind}: no matches for kind "${reference.kind}" in version "${reference.apiVersion}"`);
    }
    const finalizers = { ...resourceRef(owner, reference.name), plural: `${owner.plural}/finalizers` };
    try {
      await authorizeKube(context.actor, "update", finalizers, owner.namespaced ? dependent.namespace : undefined, context.pool);
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.code !== 403) throw error;
      const why = error.message.slice(error.message.indexOf("is forbidden: ") + "is forbidden: ".length);
      throw refused(`cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: ${why}`);
    }
  }
}

/** The ownerReferences to store for a client's `requested` on the object (`current`: what it holds now; [] on create). */
export async function admitOwnerReferences(context: OwnerAdmission, dependent: { namespace: string; name: string }, requested: unknown, current: OwnerReference[]): Promise<OwnerReference[]> {
  const ref = resourceRef(context.resource, dependent.name);
  const { references, causes } = parse(requested);
  if (causes.length > 0) throw invalid(ref, causes);
  let merged: OwnerReference[];
  try {
    merged = withEngineOwnedReferences(references, current);
  } catch (error) {
    throw toKubeApiError(error, ref);
  }
  const misplaced = await misplacedOwners(context, dependent.namespace, references);
  if (misplaced.length > 0) throw invalid(ref, misplaced);
  await authorizeBlocking(context, dependent, references, current);
  return merged;
}
