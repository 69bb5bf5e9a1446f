// The patch formats kubectl sends: JSON merge patch (RFC 7386), strategic merge patch (kubectl's
// default: a merge patch whose list-map lists, lib/kube/list-maps.ts, merge item by key), JSON
// patch (RFC 6902), and server-side apply's applied configuration.
import { sameJson } from "@/lib/engine/same-json";
import { isPrototypeKey, MAX_INPUT_DEPTH } from "@/lib/http/untrusted-input";
import { MAX_BODY_BYTES, MAX_JSON_PATCH_COPY_BYTES, MAX_JSON_PATCH_OPERATIONS, MAX_JSON_PATCH_WORK_BYTES } from "@/lib/kube/api-limits";
import { badRequest, KubeApiError } from "@/lib/kube/api-status";
import { itemKey } from "@/lib/kube/list-maps";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

/** The patch type a Content-Type names; anything else is 415, as kube-apiserver answers. */
export function patchTypeOf(contentType: string): PatchType {
  const type = Object.values(PATCH_TYPES).find((candidate) => contentType.startsWith(candidate));
  if (!type) {
    throw new KubeApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${Object.values(PATCH_TYPES).join(", ")}`);
  }
  return type;
}

const isObject = (value: Json | undefined): value is { [key: string]: Json } => value !== null && typeof value === "object" && !Array.isArray(value);
const own = (record: { [key: string]: Json }, key: string): Json | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Client keys reach here already checked (lib/kube/request-body.ts); a walker still never follows one into a prototype. */
function refusePrototypeKey(key: string, path: readonly string[]) {
  if (isPrototypeKey(key)) throw badRequest(`the server rejected our request due to an error in our request: ${[...path, key].join(".")}: "${key}" is not allowed as a key`);
}

export function mergePatch(target: Json, patch: Json, path: string[] = []): Json {
  if (!isObject(patch)) return patch;
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    refusePrototypeKey(key, path);
    if (value === null) delete result[key];
    else result[key] = mergePatch(own(result, key) ?? null, value, [...path, key]);
  }
  return result;
}

/** The keys of the list at a field path (list items left out), or undefined for an atomic list. */
export type ListMapKeys = (path: string[]) => readonly string[] | undefined;

function mergeListMap(current: Json, patch: Json[], keys: readonly string[], keysAt: ListMapKeys, path: string[]): Json[] {
  // `$patch: replace` among the items: the patch's items are the whole list.
  if (patch.some((item) => isObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isObject(item) && item.$patch === "replace")).map((item) => strategicMergePatch(null, item, keysAt, path));
  }
  // Items by key, in list order (a Map keeps it: a replaced item stays in place, a new one goes
  // last), so a merge costs one pass over each list; items without the keys are kept as they are.
  const merged = new Map<string | number, Json>((Array.isArray(current) ? current : []).map((item, index) => [itemKey(keys, item) ?? index, item]));
  for (const item of patch) {
    const key = itemKey(keys, item);
    if (!key) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: each item of ${path.join(".")} needs ${keys.join(" and ")}: its items are merged by key`);
    if (isObject(item) && item.$patch === "delete") merged.delete(key);
    else merged.set(key, strategicMergePatch(merged.get(key) ?? null, item, keysAt, path));
  }
  return [...merged.values()];
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
    refusePrototypeKey(key, path);
    const keys = Array.isArray(value) ? keysAt([...path, key]) : undefined;
    if (value === null) delete result[key];
    else if (keys && Array.isArray(value)) result[key] = mergeListMap(own(result, key) ?? null, value, keys, keysAt, [...path, key]);
    else result[key] = strategicMergePatch(Array.isArray(value) ? null : (own(result, key) ?? null), value, keysAt, [...path, key]);
  }
  return result;
}


/** What a JSON patch has done so far, against its limits (lib/kube/api-limits.ts). */
interface PatchAccount {
  /** The document's size in bytes of JSON, kept as operations add and remove. */
  bytes: number;
  /** Bytes copy operations have added. */
  copied: number;
  /** Bytes of JSON measured, compared or copied. */
  work: number;
}

const tooLarge = (message: string) => new KubeApiError(413, "RequestEntityTooLarge", message);
const missing = (path: string) => new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);

/** A value's size in bytes of JSON and its nesting depth, walked without recursion; the walk is charged to the patch's work. */
function measure(value: Json, account: PatchAccount): { bytes: number; depth: number } {
  let bytes = 0;
  let depth = 0;
  const stack: [Json, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (Array.isArray(node)) {
      depth = Math.max(depth, level + 1);
      bytes += 1 + node.length;
      for (const item of node) stack.push([item, level + 1]);
    } else if (isObject(node)) {
      depth = Math.max(depth, level + 1);
      bytes += 1 + Object.keys(node).length;
      for (const [key, item] of Object.entries(node)) {
        bytes += Buffer.byteLength(key) + 3;
        stack.push([item, level + 1]);
      }
    } else bytes += typeof node === "string" ? Buffer.byteLength(node) + 2 : String(node).length;
  }
  account.work += bytes;
  if (account.work > MAX_JSON_PATCH_WORK_BYTES) throw tooLarge(`Request entity too large: the JSON patch measures, compares and copies more than ${MAX_JSON_PATCH_WORK_BYTES} bytes of JSON`);
  return { bytes, depth };
}

function grow(account: PatchAccount, bytes: number) {
  account.bytes += bytes;
  if (account.bytes > MAX_BODY_BYTES) throw tooLarge(`Request entity too large: the patched object would be larger than the limit of ${MAX_BODY_BYTES} bytes`);
}

const unescape = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");

/** A JSON pointer's tokens; one that names a prototype, or a pointer deeper than any object may nest, is refused. */
function pointer(path: unknown, index: number, field: "path" | "from"): string[] {
  const refuse = (why: string) => badRequest(`the server rejected our request due to an error in our request: JSON patch operation ${index}: ${field} ${JSON.stringify(path)} ${why}`);
  if (typeof path !== "string") throw refuse("must be a string");
  if (path === "") return [];
  if (!path.startsWith("/")) throw refuse("is not a JSON pointer");
  const tokens = path.slice(1).split("/").map(unescape);
  if (tokens.length > MAX_INPUT_DEPTH) throw refuse(`is deeper than ${MAX_INPUT_DEPTH} levels`);
  const prototype = tokens.find(isPrototypeKey);
  if (prototype !== undefined) throw refuse(`names "${prototype}", which is not allowed`);
  return tokens;
}

const ARRAY_INDEX = /^(0|[1-9]\d{0,8})$/;

/** One step down, through own properties and array indexes only. */
function step(node: Json | undefined, token: string): Json | undefined {
  if (Array.isArray(node)) return ARRAY_INDEX.test(token) ? node[Number(token)] : undefined;
  return isObject(node) ? own(node, token) : undefined;
}

function resolve(document: Json, tokens: string[], path: string): Json {
  let node: Json | undefined = document;
  for (const token of tokens) {
    node = step(node, token);
    if (node === undefined) throw missing(path);
  }
  return node;
}

function remove(document: Json, tokens: string[], path: string): Json {
  if (tokens.length === 0) throw missing(path);
  const parent = resolve(document, tokens.slice(0, -1), path);
  const key = tokens.at(-1)!;
  const value = step(parent, key);
  if (value === undefined) throw missing(path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as { [key: string]: Json })[key];
  return value;
}

function add(document: Json, tokens: string[], path: string, value: Json): Json {
  if (tokens.length === 0) return value;
  const parent = resolve(document, tokens.slice(0, -1), path);
  const key = tokens.at(-1)!;
  if (Array.isArray(parent)) {
    if (key !== "-" && !(ARRAY_INDEX.test(key) && Number(key) <= parent.length)) throw missing(path);
    parent.splice(key === "-" ? parent.length : Number(key), 0, value);
  } else if (isObject(parent)) parent[key] = value;
  else throw missing(path);
  return document;
}

interface Operation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: Json;
}

/**
 * RFC 6902 over a copy of `document`, within kube-apiserver's limits: at most
 * MAX_JSON_PATCH_OPERATIONS operations, copies adding at most MAX_JSON_PATCH_COPY_BYTES, and the
 * object never growing past MAX_BODY_BYTES or MAX_INPUT_DEPTH levels, checked as each operation
 * applies, so a few copies of a copy cannot double the object until memory runs out.
 */
export function jsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw badRequest("the server rejected our request due to an error in our request: a JSON patch is a list of operations");
  if (operations.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${operations.length}`);
  }
  const account: PatchAccount = { bytes: 0, copied: 0, work: 0 };
  let result = structuredClone(document);
  account.bytes = measure(result, account).bytes;
  const place = (tokens: string[], path: string, value: Json, measured: { bytes: number; depth: number }) => {
    if (tokens.length + measured.depth > MAX_INPUT_DEPTH) throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: ${path} would nest the object deeper than ${MAX_INPUT_DEPTH} levels`);
    grow(account, measured.bytes);
    result = add(result, tokens, path, value);
  };
  (operations as Operation[]).forEach((operation, index) => {
    if (!isObject(operation as Json)) throw badRequest(`the server rejected our request due to an error in our request: JSON patch operation ${index} is not an object`);
    const path = operation.path as string;
    const tokens = pointer(operation.path, index, "path");
    const value = operation.value ?? null;
    switch (operation.op) {
      case "add":
        place(tokens, path, value, measure(value, account));
        break;
      case "remove":
        grow(account, -measure(remove(result, tokens, path), account).bytes);
        break;
      case "replace":
        grow(account, -measure(tokens.length > 0 ? remove(result, tokens, path) : result, account).bytes);
        place(tokens, path, value, measure(value, account));
        break;
      case "move": {
        const from = pointer(operation.from, index, "from");
        const moved = remove(result, from, operation.from as string);
        grow(account, -measure(moved, account).bytes);
        place(tokens, path, moved, measure(moved, account));
        break;
      }
      case "copy": {
        const copied = structuredClone(resolve(result, pointer(operation.from, index, "from"), operation.from as string));
        const measured = measure(copied, account);
        account.copied += measured.bytes;
        if (account.copied > MAX_JSON_PATCH_COPY_BYTES) {
          throw tooLarge(`Unable to complete the copy, the accumulated size increase of copy is ${account.copied}, exceeding the limit ${MAX_JSON_PATCH_COPY_BYTES}`);
        }
        place(tokens, path, copied, measured);
        break;
      }
      case "test":
        measure(resolve(result, tokens, path), account);
        if (!sameJson(resolve(result, tokens, path), operation.value)) {
          throw new KubeApiError(422, "Invalid", `the server rejected our request due to an error in our request: testing value ${path} failed`);
        }
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: unknown JSON patch operation ${JSON.stringify(operation.op)}`);
    }
  });
  return result;
}
