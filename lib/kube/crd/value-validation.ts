// Validates a custom resource against its compiled schema as kube-apiserver does: kube-openapi's
// value checks (type, enum, bounds, pattern, format, …) with their exact messages, kube's list
// and embedded-resource rules, then the x-kubernetes-validations CEL rules of every node whose
// value has the right type. The root's metadata is the API server's (ObjectMeta); only the
// schema's own constraints on metadata.name and metadata.generateName apply to it here.
import { CelBudget, evaluateRule, type CompiledRule } from "@/lib/kube/crd/cel-rules";
import { toCel } from "@/lib/kube/crd/cel-values";
import { isRecord, type CompiledSchema, type SchemaNode } from "@/lib/kube/crd/compiled-schema";
import { embeddedObjectMetaErrors } from "@/lib/kube/crd/embedded-object-meta";
import { childPath, duplicate, forbidden, indexPath, invalid, required, tooLong, tooMany, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";
import { matchesFormat } from "@/lib/kube/crd/string-formats";

/** kube-openapi's name for a JSON value's type, as its messages quote it. */
export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, node: SchemaNode): boolean {
  const actual = jsonType(value);
  if (node.intOrString) return actual === "integer" || actual === "string";
  if (!node.type) return true;
  if (node.type === "number") return actual === "integer" || actual === "number";
  return actual === node.type;
}

/** One value's canonical JSON (keys sorted), to compare values for enum, uniqueItems and list keys. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

interface Walk {
  errors: FieldError[];
  budget: CelBudget;
  /** Set once the object's CEL budget is spent: kube then runs no further rule. */
  rulesStopped: boolean;
}

/** `in body` is kube-openapi's name for the request body in its messages. */
const at = (path: string) => path || "body";

function numberErrors(value: number, node: SchemaNode, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum)) {
    errors.push(invalid(path, value, `${at(path)} in body should be less than ${node.exclusiveMaximum ? "" : "or equal to "}${node.maximum}`));
  }
  if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum)) {
    errors.push(invalid(path, value, `${at(path)} in body should be greater than ${node.exclusiveMinimum ? "" : "or equal to "}${node.minimum}`));
  }
  if (node.multipleOf !== undefined && node.multipleOf > 0) {
    const quotient = value / node.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) errors.push(invalid(path, value, `${at(path)} in body should be a multiple of ${node.multipleOf}`));
  }
  return errors;
}

function stringErrors(value: string, node: SchemaNode, path: string): FieldError[] {
  const errors: FieldError[] = [];
  // kube-openapi counts characters (runes), not UTF-16 units.
  const length = node.maxLength !== undefined || node.minLength !== undefined ? [...value].length : 0;
  if (node.maxLength !== undefined && length > node.maxLength) errors.push(tooLong(path, node.maxLength));
  if (node.minLength !== undefined && length < node.minLength) errors.push(invalid(path, value, `${at(path)} in body should be at least ${node.minLength} chars long`));
  if (node.pattern && !node.pattern.matcher.test(value)) errors.push(invalid(path, value, `${at(path)} in body should match '${node.pattern.source}'`));
  if (node.format && !matchesFormat(node.format, value)) errors.push(invalid(path, value, `${at(path)} in body must be of type ${node.format}: ${JSON.stringify(value)}`));
  return errors;
}

function listErrors(value: unknown[], node: SchemaNode, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (node.maxItems !== undefined && value.length > node.maxItems) errors.push(tooMany(path, value.length, node.maxItems));
  if (node.minItems !== undefined && value.length < node.minItems) errors.push(invalid(path, value.length, `${at(path)} in body should have at least ${node.minItems} items`));
  if (node.uniqueItems && new Set(value.map(canonical)).size !== value.length) errors.push(invalid(path, "array", `${at(path)} in body shouldn't contain duplicates`));
  if (node.listType === "set" || node.listType === "map") {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = node.listType === "map" ? listMapKey(item, node.listMapKeys) : canonical(item);
      if (key === undefined) return;
      if (seen.has(key)) errors.push(duplicate(indexPath(path, index), node.listType === "map" ? listMapKeyValue(item, node.listMapKeys) : item));
      seen.add(key);
    });
  }
  return errors;
}

/** The identity of a list-type=map item: its key fields' values (an item that is not an object has none). */
export function listMapKey(item: unknown, keys: string[]): string | undefined {
  return isRecord(item) ? canonical(keys.map((key) => item[key] ?? null)) : undefined;
}

const listMapKeyValue = (item: unknown, keys: string[]) => Object.fromEntries(keys.filter((key) => isRecord(item) && Object.hasOwn(item, key)).map((key) => [key, (item as Record<string, unknown>)[key]]));

function objectErrors(value: Record<string, unknown>, node: SchemaNode, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const count = Object.keys(value).length;
  if (node.maxProperties !== undefined && count > node.maxProperties) errors.push(tooMany(path, count, node.maxProperties));
  if (node.minProperties !== undefined && count < node.minProperties) errors.push(invalid(path, count, `${at(path)} in body should have at least ${node.minProperties} properties`));
  for (const key of node.required) if (value[key] === undefined) errors.push(required(childPath(path, key)));
  return errors;
}

function typeError(value: unknown, node: SchemaNode, path: string): FieldError | undefined {
  if (value === null ? node.nullable || !node.type : hasType(value, node)) return undefined;
  const actual = jsonType(value);
  return invalid(path, actual, `${at(path)} in body must be of type ${node.intOrString ? "integer,string" : node.type}: "${actual}"`);
}

/** The checks of one node on one value, without descending: what allOf/anyOf/oneOf/not branches are made of. */
function ownErrors(value: unknown, node: SchemaNode, path: string): FieldError[] {
  if (value === null && (node.nullable || !node.type)) return [];
  const wrongType = typeError(value, node, path);
  if (wrongType) return [wrongType];
  const errors: FieldError[] = [];
  if (node.enum && !node.enum.some((allowed) => canonical(allowed) === canonical(value))) errors.push(unsupported(path, value, node.enum));
  if (typeof value === "number") errors.push(...numberErrors(value, node, path));
  else if (typeof value === "string") errors.push(...stringErrors(value, node, path));
  else if (Array.isArray(value)) errors.push(...listErrors(value, node, path));
  else if (isRecord(value)) errors.push(...objectErrors(value, node, path));
  errors.push(...junctorErrors(value, node, path));
  return errors;
}

/** allOf/anyOf/oneOf/not, which structural schemas allow to carry value validations only (and descend through properties and items). */
function junctorErrors(value: unknown, node: SchemaNode, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const branchErrors = (branch: SchemaNode) => deepErrors(value, branch, path);
  for (const branch of node.allOf) errors.push(...branchErrors(branch));
  if (node.anyOf.length > 0) {
    const results = node.anyOf.map(branchErrors);
    if (results.every((result) => result.length > 0)) errors.push(invalid(path, jsonType(value) === "object" ? "object" : value, `${at(path)} in body must validate at least one schema (anyOf)`), ...results.flat());
  }
  if (node.oneOf.length > 0) {
    const passing = node.oneOf.map(branchErrors).filter((result) => result.length === 0).length;
    if (passing !== 1) errors.push(invalid(path, jsonType(value) === "object" ? "object" : value, `${at(path)} in body must validate one and only one schema (oneOf)`));
  }
  if (node.not && deepErrors(value, node.not, path).length === 0) errors.push(invalid(path, jsonType(value) === "object" ? "object" : value, `${at(path)} in body should not validate the given schema`));
  return errors;
}

/** A junctor branch's checks, descending through the branch's own properties and items (no CEL: branches carry none). */
function deepErrors(value: unknown, node: SchemaNode, path: string): FieldError[] {
  const errors = ownErrors(value, node, path);
  if (errors.length > 0) return errors;
  if (isRecord(value) && node.properties) {
    for (const [key, child] of node.properties) if (value[key] !== undefined) errors.push(...deepErrors(value[key], child, childPath(path, key)));
  }
  if (Array.isArray(value) && node.items) {
    const items = node.items;
    value.forEach((item, index) => errors.push(...deepErrors(item, items, indexPath(path, index))));
  }
  return errors;
}

/** The old value that corresponds to each item of a list, for transition rules: by key in a list-type=map, none otherwise. */
function correlatedItems(value: unknown[], oldValue: unknown, node: SchemaNode): (unknown | undefined)[] {
  if (node.listType !== "map" || !Array.isArray(oldValue)) return value.map(() => undefined);
  const byKey = new Map<string, unknown>();
  for (const item of oldValue) {
    const key = listMapKey(item, node.listMapKeys);
    if (key !== undefined) byKey.set(key, item);
  }
  return value.map((item) => {
    const key = listMapKey(item, node.listMapKeys);
    return key === undefined ? undefined : byKey.get(key);
  });
}

/** A rule's fieldPath (`.spec.replicas`, `['a.b']`) joined to the node's path. */
function ruleErrorPath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path;
  let joined = path;
  for (const match of fieldPath.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/g)) joined = childPath(joined, match[1] ?? match[2] ?? "");
  return joined;
}

function ruleError(rule: CompiledRule, node: SchemaNode, path: string, message: string): FieldError {
  const field = ruleErrorPath(path, rule.fieldPath);
  switch (rule.reason) {
    case "FieldValueForbidden":
      return forbidden(field, message);
    case "FieldValueRequired":
      return required(field, message);
    case "FieldValueDuplicate":
      return { ...duplicate(field, node.type ?? ""), detail: message };
    default:
      return invalid(field, node.type ?? "", message);
  }
}

function runRules(value: unknown, oldValue: unknown, node: SchemaNode, path: string, walk: Walk): void {
  if (walk.rulesStopped) return;
  const self = toCel(value, node);
  const oldSelf = oldValue === undefined ? undefined : toCel(oldValue, node);
  for (const rule of node.rules) {
    if (rule.transition && oldSelf === undefined) continue;
    const outcome = evaluateRule(rule, self, rule.transition ? oldSelf : undefined, walk.budget);
    if (outcome.passed) continue;
    walk.errors.push(outcome.kind === "failed" ? ruleError(rule, node, path, outcome.message) : invalid(path, node.type ?? "", outcome.message));
    if (outcome.kind === "objectBudget") {
      walk.rulesStopped = true;
      return;
    }
  }
}

function walkValue(value: unknown, oldValue: unknown, node: SchemaNode, path: string, walk: Walk, root = false): void {
  walk.errors.push(...ownErrors(value, node, path));
  if (value === null || value === undefined || typeError(value, node, path)) return;
  if (isRecord(value)) {
    if (node.embeddedResource) walk.errors.push(...embeddedObjectMetaErrors(value, path));
    const oldRecord = isRecord(oldValue) ? oldValue : undefined;
    for (const [key, item] of Object.entries(value)) {
      if (root && key === "metadata") {
        walkRootMetadata(item, node.properties?.get("metadata"), walk);
        continue;
      }
      const child = node.properties?.get(key) ?? node.additionalProperties;
      if (child && item !== undefined) walkValue(item, oldRecord?.[key], child, childPath(path, key), walk);
    }
  } else if (Array.isArray(value) && node.items) {
    const items = node.items;
    const olds = correlatedItems(value, oldValue, node);
    value.forEach((item, index) => walkValue(item, olds[index], items, indexPath(path, index), walk));
  }
  if (node.rules.length > 0) runRules(value, oldValue, node, path, walk);
}

/** The root's metadata: only a schema's constraints on name and generateName, as kube applies them to custom resources. */
function walkRootMetadata(metadata: unknown, node: SchemaNode | undefined, walk: Walk): void {
  if (!isRecord(metadata) || !node?.properties) return;
  for (const key of ["name", "generateName"]) {
    const child = node.properties.get(key);
    if (child && metadata[key] !== undefined) walk.errors.push(...ownErrors(metadata[key], child, `metadata.${key}`));
  }
}

/** Every way `value` at `path` breaks `node` (a default, when a CRD is validated). */
export function validateValue(value: unknown, node: SchemaNode, path: string): FieldError[] {
  const walk: Walk = { errors: [], budget: new CelBudget(), rulesStopped: false };
  walkValue(value, undefined, node, path, walk);
  return walk.errors;
}

/** Every way `object` breaks `schema`, in kube's words; `oldObject` (an update's stored object) feeds transition rules. */
export function validateCustomResource(schema: CompiledSchema, object: Record<string, unknown>, oldObject?: Record<string, unknown>): FieldError[] {
  const walk: Walk = { errors: [], budget: new CelBudget(), rulesStopped: false };
  walkValue(object, oldObject, schema.root, "", walk, true);
  return walk.errors;
}
