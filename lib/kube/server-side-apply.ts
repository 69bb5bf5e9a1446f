// Server-side apply (PATCH application/apply-patch+yaml). Each field manager owns the fields of
// the configuration it last applied (labels, annotations and spec; a list-map list's items by
// key, lib/kube/list-maps.ts, other lists as a whole), stored beside the fields other writes set
// (lib/kube/field-owners.ts). Applying a value to a field another manager owns (by apply, or by an
// update such as kubectl edit), or to one of its own that the console has changed since, is a
// conflict unless forced, and forcing takes the field over.
// Fields a manager applied before and leaves out now are removed, unless another manager owns them.
import { sameJson } from "@/lib/engine/same-json";
import { isPrototypeKey } from "@/lib/http/untrusted-input";
import { badRequest, invalid, KubeApiError } from "@/lib/kube/api-status";
import { fieldsOf, isItem, type FieldOwner, type TakenOver } from "@/lib/kube/field-owners";
import { topLevelStateFields } from "@/lib/vocabulary/config-object-fields";
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

/**
 * The next state as planApply builds it. List items are found through an index per list, and
 * removed ones are dropped in one pass at the end, so a plan costs one pass over its fields however
 * long the lists are; fields are followed through own properties only, and a field path that names
 * a prototype is refused (the body's keys were already checked, lib/kube/request-body.ts).
 */
class Draft {
  private readonly indexes = new Map<unknown[], Map<string, unknown>>();
  private readonly removed = new Set<unknown>();
  private readonly shrunk: { parent: Record<string, unknown>; field: string; list: unknown[] }[] = [];

  constructor(readonly root: Record<string, unknown>) {}

  private itemsOf(list: unknown[], segment: string): Map<string, unknown> {
    let items = this.indexes.get(list);
    if (!items) {
      const keys = Object.keys(JSON.parse(segment.slice(2)) as object);
      items = new Map();
      for (const item of list) {
        const key = itemKey(keys, item);
        if (key !== undefined && !items.has(key)) items.set(key, item);
      }
      this.indexes.set(list, items);
    }
    return items;
  }

  /** One step down a path: a field of an object, or (k:{…}) the list item with those key values; `create` makes what is missing. */
  private child(node: unknown, segment: string, create?: "object" | "list"): unknown {
    if (isItem(segment)) {
      if (!Array.isArray(node)) return undefined;
      const items = this.itemsOf(node, segment);
      let item = items.get(segment);
      if (item === undefined && create) {
        node.push((item = JSON.parse(segment.slice(2))));
        items.set(segment, item);
      }
      return item;
    }
    if (isPrototypeKey(segment)) throw badRequest(`the server rejected our request due to an error in our request: "${segment}" is not allowed as a field name`);
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    const record = node as Record<string, unknown>;
    const wrong = (value: unknown) => !value || typeof value !== "object" || Array.isArray(value) !== (create === "list");
    if (create && (!Object.hasOwn(record, segment) || wrong(record[segment]))) record[segment] = create === "list" ? [] : {};
    return Object.hasOwn(record, segment) ? record[segment] : undefined;
  }

  set(path: string[], value: unknown) {
    let node: unknown = this.root;
    for (let index = 0; index < path.length - 1; index++) node = this.child(node, path[index]!, isItem(path[index + 1]!) ? "list" : "object");
    const last = path.at(-1)!;
    if (isItem(last)) this.child(node, last, "object");
    else {
      if (isPrototypeKey(last)) throw badRequest(`the server rejected our request due to an error in our request: "${last}" is not allowed as a field name`);
      (node as Record<string, unknown>)[last] = value;
    }
  }

  delete(path: string[]) {
    let parent: unknown;
    let node: unknown = this.root;
    for (const segment of path.slice(0, -1)) {
      [parent, node] = [node, this.child(node, segment)];
      if (!node || typeof node !== "object") return;
    }
    const last = path.at(-1)!;
    if (!isItem(last)) delete (node as Record<string, unknown>)[last];
    else if (Array.isArray(node)) {
      const items = this.itemsOf(node, last);
      const item = items.get(last);
      if (item === undefined) return;
      items.delete(last);
      this.removed.add(item);
      if (parent && typeof parent === "object" && !Array.isArray(parent)) this.shrunk.push({ parent: parent as Record<string, unknown>, field: path.at(-2)!, list: node });
    }
  }

  /** Drops the removed items; a list-map whose last item went is gone too, as a list applied as a whole would be. */
  finish(): Record<string, unknown> {
    for (const list of new Set(this.shrunk.map((entry) => entry.list))) {
      let kept = 0;
      for (const item of list) if (!this.removed.has(item)) list[kept++] = item;
      list.length = kept;
    }
    for (const { parent, field, list } of this.shrunk) if (list.length === 0 && parent[field] === list) delete parent[field];
    return this.root;
  }
}

export interface ApplyPlan {
  /** The object's labels, annotations and spec (and a ConfigMap's or Secret's top-level fields) after the apply. */
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
    const holders = owners.filter((owner) => Object.hasOwn(owner.fields, key) && sameJson(owner.fields[key], live[key]));
    for (const owner of holders) if (!mine(owner)) conflicts.push({ manager: owner.manager, field: key });
    // Owned, but no owner holds its value: the console (the engine) changed it since, and the
    // console records no field manager. kube-apiserver would name whoever changed it; "skylight"
    // names the console.
    if (holders.length === 0 && owners.some((owner) => Object.hasOwn(owner.fields, key))) conflicts.push({ manager: "skylight", field: key });
    for (const owner of others) {
      if (!Object.hasOwn(owner.fields, key)) continue;
      if (takenOver.has(owner)) takenOver.get(owner)!.push(key);
      else takenOver.set(owner, [key]);
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
  const object = current as unknown as Record<string, unknown>;
  const state = Object.fromEntries(topLevelStateFields(resource.kind, object).filter((field) => object[field] !== undefined).map((field) => [field, object[field]]));
  const draft = new Draft(structuredClone({ ...state, metadata: { labels: current.metadata.labels ?? {}, annotations: current.metadata.annotations ?? {} }, spec: (current.spec ?? {}) as Record<string, unknown> }));
  for (const key of Object.keys(previous)) {
    if (!Object.hasOwn(wanted, key) && !others.some((owner) => Object.hasOwn(owner.fields, key))) draft.delete(JSON.parse(key) as string[]);
  }
  for (const [key, value] of Object.entries(wanted)) draft.set(JSON.parse(key) as string[], value);
  return { next: draft.finish() as ApplyPlan["next"], takenOver };
}

export function requireFieldManager(resource: ApiResource, name: string, manager: string | null): string {
  if (!manager) throw invalid(resourceRef(resource, name), [{ field: "fieldManager", message: "Required value: is required for apply requests", reason: "FieldValueRequired" }]);
  return manager;
}
