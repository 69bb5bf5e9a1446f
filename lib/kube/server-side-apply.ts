// Server-side apply (PATCH application/apply-patch+yaml). Each field manager owns the fields of
// the configuration it last applied (labels, annotations and spec; a list-map list's items by
// key, lib/kube/list-maps.ts, other lists as a whole), stored beside the fields other writes set
// (lib/kube/field-owners.ts). Applying a value to a field another manager owns (by apply, or by an
// update such as kubectl edit), or to one of its own that the console has changed since, is a
// conflict unless forced, and forcing takes the field over.
// Fields a manager applied before and leaves out now are removed, unless another manager owns them.
import { sameJson } from "@/lib/engine/same-json";
import { invalid, KubeApiError } from "@/lib/kube/api-status";
import { fieldsOf, isItem, type FieldOwner, type TakenOver } from "@/lib/kube/field-owners";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { ApiResource } from "@/lib/kube/api-resources";
import { itemKey } from "@/lib/kube/list-maps";

interface Applied {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
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
  /** Other entries whose fields this (forced) apply takes over. */
  takenOver: TakenOver;
}

export function planApply(resource: ApiResource, current: KubeObject, manager: string, applied: Applied, owners: FieldOwner[], force: boolean): ApplyPlan {
  const wanted = fieldsOf(resource.kind, applied);
  const live = fieldsOf(resource.kind, current as Applied);
  const mine = (owner: FieldOwner) => owner.manager === manager && owner.operation === "Apply";
  const previous = owners.find(mine)?.fields ?? {};
  const others = owners.filter((owner) => !mine(owner));
  const conflicts: { manager: string; field: string }[] = [];
  const takenOver: TakenOver = new Map();
  for (const [key, value] of Object.entries(wanted)) {
    if (sameJson(live[key], value)) continue;
    const holders = owners.filter((owner) => key in owner.fields && sameJson(owner.fields[key], live[key]));
    for (const owner of holders) if (!mine(owner)) conflicts.push({ manager: owner.manager, field: key });
    // Owned, but no owner holds its value: the console (the engine) changed it since, and the
    // console records no field manager. kube-apiserver would name whoever changed it; "skylight"
    // names the console.
    if (holders.length === 0 && owners.some((owner) => key in owner.fields)) conflicts.push({ manager: "skylight", field: key });
    for (const owner of others) if (key in owner.fields) takenOver.set(owner, [...(takenOver.get(owner) ?? []), key]);
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
    if (!(key in wanted) && !others.some((owner) => key in owner.fields)) deletePath(next as unknown as Record<string, unknown>, JSON.parse(key) as string[]);
  }
  for (const [key, value] of Object.entries(wanted)) setPath(next as unknown as Record<string, unknown>, JSON.parse(key) as string[], value);
  return { next, takenOver };
}

export function requireFieldManager(resource: ApiResource, name: string, manager: string | null): string {
  if (!manager) throw invalid(resourceRef(resource, name), [{ field: "fieldManager", message: "Required value: is required for apply requests", reason: "FieldValueRequired" }]);
  return manager;
}
