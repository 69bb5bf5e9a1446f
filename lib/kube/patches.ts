// The patch formats kubectl sends: JSON merge patch (RFC 7386), strategic merge patch (kubectl's
// default: a merge patch whose list-map lists, lib/kube/list-maps.ts, merge item by key), JSON
// patch (RFC 6902), and server-side apply's applied configuration.
import { parse as parseYaml } from "yaml";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { itemKey } from "@/lib/kube/list-maps";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const result: { [key: string]: Json } = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

/** The keys of the list at a field path (list items left out), or undefined for an atomic list. */
export type ListMapKeys = (path: string[]) => readonly string[] | undefined;

const isObject = (value: Json): value is { [key: string]: Json } => value !== null && typeof value === "object" && !Array.isArray(value);

function mergeListMap(current: Json, patch: Json[], keys: readonly string[], keysAt: ListMapKeys, path: string[]): Json[] {
  // `$patch: replace` among the items: the patch's items are the whole list.
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isObject(item) && item.$patch === "replace")).map((item) => strategicMergePatch(null, item, keysAt, path));
  }
  const merged = Array.isArray(current) ? [...current] : [];
  for (const item of patch) {
    const key = itemKey(keys, item);
    if (!key) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: each item of ${path.join(".")} needs ${keys.join(" and ")}: its items are merged by key`);
    const index = merged.findIndex((existing) => itemKey(keys, existing) === key);
    if (isObject(item) && item.$patch === "delete") {
      if (index >= 0) merged.splice(index, 1);
    } else if (index >= 0) merged[index] = strategicMergePatch(merged[index]!, item, keysAt, path);
    else merged.push(strategicMergePatch(null, item, keysAt, path));
  }
  return merged;
}

/**
 * A strategic merge patch: as a merge patch, except that list-map lists merge item by key (an item
 * with `$patch: delete` is removed). kubectl's other directives ($setElementOrder, $retainKeys,
 * $deleteFromPrimitiveList) only order or trim what the merge already gets right, and are dropped.
 */
export function strategicMergePatch(target: Json, patch: Json, keysAt: ListMapKeys, path: string[] = []): Json {
  if (Array.isArray(patch)) return patch.map((item) => strategicMergePatch(null, item, keysAt, path));
  if (!isObject(patch)) return patch;
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) continue;
    const keys = Array.isArray(value) ? keysAt([...path, key]) : undefined;
    if (value === null) delete result[key];
    else if (keys && Array.isArray(value)) result[key] = mergeListMap(result[key] ?? null, value, keys, keysAt, [...path, key]);
    else result[key] = strategicMergePatch(Array.isArray(value) ? null : (result[key] ?? null), value, keysAt, [...path, key]);
  }
  return result;
}

const unescape = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path.slice(1).split("/").map(unescape);
}

function resolveParent(document: Json, tokens: string[], path: string): { parent: Json; key: string } {
  let parent = document;
  for (const token of tokens.slice(0, -1)) {
    const next = Array.isArray(parent) ? parent[Number(token)] : parent && typeof parent === "object" ? parent[token] : undefined;
    if (next === undefined) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
    parent = next;
  }
  return { parent, key: tokens.at(-1)! };
}

function get(document: Json, path: string): Json {
  return pointer(path).reduce<Json>((current, token) => {
    const next = Array.isArray(current) ? current[Number(token)] : current && typeof current === "object" ? current[token] : undefined;
    if (next === undefined) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
    return next;
  }, document);
}

function remove(document: Json, path: string): Json {
  const { parent, key } = resolveParent(document, pointer(path), path);
  const value = get(document, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (parent && typeof parent === "object") delete parent[key];
  return value;
}

function add(document: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(key === "-" ? parent.length : Number(key), 0, value);
  else if (parent && typeof parent === "object") parent[key] = value;
  else throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
  return document;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

export function jsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest("the server rejected our request due to an error in our request: a JSON patch is a list of operations");
  let result = structuredClone(document);
  for (const operation of operations as Operation[]) {
    switch (operation.op) {
      case "add":
        result = add(result, operation.path, operation.value ?? null);
        break;
      case "remove":
        remove(result, operation.path);
        break;
      case "replace":
        remove(result, operation.path);
        result = add(result, operation.path, operation.value ?? null);
        break;
      case "move":
        result = add(result, operation.path, remove(result, operation.from ?? ""));
        break;
      case "copy":
        result = add(result, operation.path, structuredClone(get(result, operation.from ?? "")));
        break;
      case "test":
        if (JSON.stringify(get(result, operation.path)) !== JSON.stringify(operation.value)) {
          throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: testing value ${operation.path} failed`);
        }
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: unknown JSON patch operation "${operation.op}"`);
    }
  }
  return result;
}

export function parsePatchBody(contentType: string, body: string): Json {
  try {
    return (contentType.startsWith(PATCH_TYPES.apply) ? parseYaml(body) : JSON.parse(body)) as Json;
  } catch (error) {
    throw badRequest(`the server rejected our request due to an error in our request: ${(error as Error).message}`);
  }
}
