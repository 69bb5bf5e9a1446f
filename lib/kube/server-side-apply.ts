// Server-side apply (PATCH application/apply-patch+yaml). Each field manager owns the fields of
// the configuration it last applied (labels, annotations and spec; a list-map list's items by
// key, lib/kube/list-maps.ts, other lists as a whole), shown as metadata.managedFields. Applying a
// value to a field another manager owns, or to one of its own that someone else has changed since
// (the console, kubectl edit), is a conflict unless forced, and forcing takes the field over.
// Fields a manager applied before and leaves out now are removed, unless another manager owns them.
import type pg from "pg";
import { sameJson } from "@/lib/engine/same-json";
import { invalid, KubeApiError } from "@/lib/kube/api-status";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { ApiResource } from "@/lib/kube/api-resources";
import { itemKey, listMapKeys } from "@/lib/kube/list-maps";

/** A configuration as leaf paths (JSON arrays of keys, stringified) to values. */
export type FlatConfiguration = Record<string, unknown>;

interface Applied {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

const isItem = (segment: string) => segment.startsWith("k:");
/** A configuration path without its list items' keys: the field path list-maps.ts knows. */
const fieldPath = (path: string[]) => path.filter((segment) => !isItem(segment));

function flatten(kind: string, value: unknown, path: string[], into: FlatConfiguration): FlatConfiguration {
  const keys = Array.isArray(value) ? listMapKeys(kind, fieldPath(path)) : undefined;
  const items = keys ? (value as unknown[]).map((item) => [itemKey(keys, item), item] as const) : [];
  if (keys && items.length > 0 && items.every(([key]) => key !== undefined)) {
    // Each item is owned on its own: the item itself (its key values), then its fields.
    for (const [key, item] of items) {
      into[JSON.stringify([...path, key!])] = Object.fromEntries(keys.map((name) => [name, (item as Record<string, unknown>)[name]]));
      for (const [field, fieldValue] of Object.entries(item as Record<string, unknown>)) flatten(kind, fieldValue, [...path, key!, field], into);
    }
  } else if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) flatten(kind, item, [...path, key], into);
  } else if (path.length > 1) {
    into[JSON.stringify(path)] = value;
  }
  return into;
}

/** The fields an apply configuration (or an object) of `kind` sets: labels, annotations and spec. */
export function fieldsOf(kind: string, object: Applied): FlatConfiguration {
  const fields: FlatConfiguration = {};
  for (const map of ["labels", "annotations"] as const) {
    for (const [key, value] of Object.entries(object.metadata?.[map] ?? {})) fields[JSON.stringify(["metadata", map, key])] = value;
  }
  flatten(kind, object.spec ?? {}, ["spec"], fields);
  return fields;
}

/** A field as kube-apiserver names it in a conflict: .spec.volumes[name="data"].persistentVolumeClaim. */
function display(key: string): string {
  return (JSON.parse(key) as string[])
    .map((segment) => (isItem(segment) ? `[${Object.entries(JSON.parse(segment.slice(2)) as object).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(",")}]` : `.${segment}`))
    .join("");
}

const matchesItem = (item: unknown, segment: string) => itemKey(Object.keys(JSON.parse(segment.slice(2)) as object), item) === segment;

/** One step down a path: a field of an object, or (k:{…}) the list item with those key values; `create` makes what is missing. */
function child(node: unknown, segment: string, create?: "object" | "list"): unknown {
  if (isItem(segment)) {
    if (!Array.isArray(node)) return undefined;
    let item = node.find((candidate) => matchesItem(candidate, segment));
    if (item === undefined && create) node.push((item = JSON.parse(segment.slice(2))));
    return item;
  }
  if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
  const record = node as Record<string, unknown>;
  const wrong = (value: unknown) => !value || typeof value !== "object" || Array.isArray(value) !== (create === "list");
  if (create && wrong(record[segment])) record[segment] = create === "list" ? [] : {};
  return record[segment];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node: unknown = target;
  for (let index = 0; index < path.length - 1; index++) node = child(node, path[index]!, isItem(path[index + 1]!) ? "list" : "object");
  const last = path.at(-1)!;
  if (isItem(last)) child(node, last, "object");
  else (node as Record<string, unknown>)[last] = value;
}

function deletePath(target: Record<string, unknown>, path: string[]) {
  let parent: unknown;
  let node: unknown = target;
  for (const segment of path.slice(0, -1)) {
    [parent, node] = [node, child(node, segment)];
    if (!node || typeof node !== "object") return;
  }
  const last = path.at(-1)!;
  if (!isItem(last)) delete (node as Record<string, unknown>)[last];
  else if (Array.isArray(node)) {
    const index = node.findIndex((item) => matchesItem(item, last));
    if (index >= 0) node.splice(index, 1);
    // A list-map whose last item went is gone too, as a list applied as a whole would be.
    if (node.length === 0 && parent && typeof parent === "object" && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[path.at(-2)!];
  }
}

export interface ApplyPlan {
  /** The object's labels, annotations and spec after the apply. */
  next: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, unknown> };
  /** Other managers whose configurations lose fields this (forced) apply takes over. */
  takenOver: Record<string, string[]>;
}

export function planApply(
  resource: ApiResource,
  current: KubeObject,
  manager: string,
  applied: Applied,
  stored: Record<string, FlatConfiguration>,
  force: boolean,
): ApplyPlan {
  const wanted = fieldsOf(resource.kind, applied);
  const live = fieldsOf(resource.kind, current as Applied);
  const previous = stored[manager] ?? {};
  const others = Object.entries(stored).filter(([name]) => name !== manager);
  const conflicts: { manager: string; field: string }[] = [];
  const takenOver: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (sameJson(live[key], value)) continue;
    const owner = others.find(([, fields]) => key in fields && sameJson(fields[key], live[key]))?.[0];
    if (owner) {
      conflicts.push({ manager: owner, field: key });
      (takenOver[owner] ??= []).push(key);
    } else if (key in previous && !sameJson(previous[key], live[key])) {
      conflicts.push({ manager: "skylight", field: key });
    }
  }
  if (conflicts.length > 0 && !force) {
    const detail = conflicts.map((conflict) => `conflict with "${conflict.manager}" using ${resource.group ? `${resource.group}/` : ""}${resource.version}: ${display(conflict.field)}`);
    throw new KubeApiError(409, "Conflict", `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? "s" : ""}: ${detail.join("\n")}`, {
      name: current.metadata.name,
      group: resource.group,
      kind: resource.plural,
      causes: conflicts.map((conflict) => ({ reason: "FieldManagerConflict", message: `conflict with "${conflict.manager}"`, field: display(conflict.field) })),
    });
  }
  const next = structuredClone({ metadata: { labels: current.metadata.labels ?? {}, annotations: current.metadata.annotations ?? {} }, spec: (current.spec ?? {}) as Record<string, unknown> });
  for (const key of Object.keys(previous)) {
    if (!(key in wanted) && !others.some(([, fields]) => key in fields)) deletePath(next as unknown as Record<string, unknown>, JSON.parse(key) as string[]);
  }
  for (const [key, value] of Object.entries(wanted)) setPath(next as unknown as Record<string, unknown>, JSON.parse(key) as string[], value);
  return { next, takenOver };
}

export async function readAppliedConfigurations(db: pg.Pool, uid: string): Promise<Record<string, FlatConfiguration>> {
  const { rows } = await db.query<{ manager: string; configuration: FlatConfiguration }>(`SELECT manager, configuration FROM kube_applied_configurations WHERE uid = $1`, [uid]);
  return Object.fromEntries(rows.map((row) => [row.manager, row.configuration]));
}

export async function recordApply(db: pg.Pool, kind: string, uid: string, manager: string, applied: Applied, takenOver: Record<string, string[]>): Promise<void> {
  await db.query(
    `INSERT INTO kube_applied_configurations (uid, manager, configuration) VALUES ($1, $2, $3)
     ON CONFLICT (uid, manager) DO UPDATE SET configuration = EXCLUDED.configuration, applied_at = now()`,
    [uid, manager, fieldsOf(kind, applied)],
  );
  for (const [owner, keys] of Object.entries(takenOver)) {
    await db.query(`UPDATE kube_applied_configurations SET configuration = configuration - $3::text[] WHERE uid = $1 AND manager = $2`, [uid, owner, keys]);
  }
}

export function requireFieldManager(resource: ApiResource, name: string, manager: string | null): string {
  if (!manager) throw invalid(resourceRef(resource, name), [{ field: "fieldManager", message: "Required value: is required for apply requests", reason: "FieldValueRequired" }]);
  return manager;
}
