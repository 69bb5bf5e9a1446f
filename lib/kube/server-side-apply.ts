// Server-side apply (PATCH application/apply-patch+yaml). Each field manager owns the fields of
// the configuration it last applied (labels, annotations and spec, lists as a whole). Applying a
// value to a field another manager owns, or to one of its own that someone else has changed since
// (the console, kubectl edit), is a conflict unless forced, and forcing takes the field over.
// Fields a manager applied before and leaves out now are removed, unless another manager owns them.
import type pg from "pg";
import { sameJson } from "@/lib/engine/same-json";
import { invalid, KubeApiError } from "@/lib/kube/api-status";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";
import type { ApiResource } from "@/lib/kube/api-resources";

/** A configuration as leaf paths (JSON arrays of keys, stringified) to values. */
export type FlatConfiguration = Record<string, unknown>;

interface Applied {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

function flatten(value: unknown, path: string[], into: FlatConfiguration): FlatConfiguration {
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) flatten(item, [...path, key], into);
  } else if (path.length > 1) {
    into[JSON.stringify(path)] = value;
  }
  return into;
}

/** The fields an apply configuration (or an object) sets: labels, annotations and spec. */
export function fieldsOf(object: Applied): FlatConfiguration {
  const fields: FlatConfiguration = {};
  for (const map of ["labels", "annotations"] as const) {
    for (const [key, value] of Object.entries(object.metadata?.[map] ?? {})) fields[JSON.stringify(["metadata", map, key])] = value;
  }
  flatten(object.spec ?? {}, ["spec"], fields);
  return fields;
}

const display = (key: string) => `.${(JSON.parse(key) as string[]).join(".")}`;

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object" || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function deletePath(target: Record<string, unknown>, path: string[]) {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (!node || typeof node !== "object") return;
  }
  delete (node as Record<string, unknown>)[path.at(-1)!];
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
  const wanted = fieldsOf(applied);
  const live = fieldsOf(current as Applied);
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

export async function recordApply(db: pg.Pool, uid: string, manager: string, applied: Applied, takenOver: Record<string, string[]>): Promise<void> {
  await db.query(
    `INSERT INTO kube_applied_configurations (uid, manager, configuration) VALUES ($1, $2, $3)
     ON CONFLICT (uid, manager) DO UPDATE SET configuration = EXCLUDED.configuration, applied_at = now()`,
    [uid, manager, fieldsOf(applied)],
  );
  for (const [owner, keys] of Object.entries(takenOver)) {
    await db.query(`UPDATE kube_applied_configurations SET configuration = configuration - $3::text[] WHERE uid = $1 AND manager = $2`, [uid, owner, keys]);
  }
}

export function requireFieldManager(resource: ApiResource, name: string, manager: string | null): string {
  if (!manager) throw invalid(resourceRef(resource, name), [{ field: "fieldManager", message: "Required value: is required for apply requests", reason: "FieldValueRequired" }]);
  return manager;
}
