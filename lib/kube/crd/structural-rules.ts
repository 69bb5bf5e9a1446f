// Whether a version's openAPIV3Schema is structural, as apiextensions-apiserver requires of
// every CRD in apiextensions.k8s.io/v1, with its messages: every specified field has a type
// (unless x-kubernetes-preserve-unknown-fields or x-kubernetes-int-or-string says otherwise),
// the root is an object whose metadata declares at most name and generateName, allOf/anyOf/
// oneOf/not carry value validations only, the extensions are used where they mean something,
// patterns are RE2, CEL rules compile, and every default is pruned and valid against its schema.
import { RE2JS } from "@bufbuild/re2";
import { cardinality, costErrorMessage, estimatedRuleCost, STATIC_COST_LIMIT } from "@/lib/kube/crd/cel-cost";
import { compileExpression, RuleCompileError } from "@/lib/kube/crd/cel-rules";
import { compileNode, isRecord } from "@/lib/kube/crd/compiled-schema";
import { forbidden, formatFieldError, indexPath, invalid, required, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";
import { pruneValue } from "@/lib/kube/crd/pruning";
import { validateValue } from "@/lib/kube/crd/value-validation";

/** How deep a schema may nest; kube has no such bound, Skylight's walkers recurse. */
export const MAX_SCHEMA_DEPTH = 64;
/** Schema nodes and CEL rules one CRD version may hold (a large real CRD has a few thousand nodes). */
export const MAX_SCHEMA_NODES = 100_000;
export const MAX_RULES = 1_000;

const TYPES = ["array", "boolean", "integer", "number", "object", "string"];
const JUNCTORS = ["allOf", "anyOf", "oneOf"] as const;
const RULE_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];
const UNSUPPORTED_KEYWORDS = ["id", "additionalItems", "patternProperties", "definitions", "dependencies", "$ref"];
const TYPE_META = ["apiVersion", "kind"];

type Level = "root" | "property" | "items" | "additionalProperties" | "nested";

interface Check {
  errors: FieldError[];
  nodes: number;
  rules: number;
}

const prop = (path: string, key: string) => `${path}.properties[${key}]`;

/** `anyOf: [{type: integer}, {type: string}]`, int-or-string as controller-gen spells it, the one junctor kube lets carry types. */
function isIntOrStringAnyOf(branches: unknown): boolean {
  if (!Array.isArray(branches) || branches.length !== 2) return false;
  const [first, second] = branches as unknown[];
  const only = (branch: unknown, type: string) => isRecord(branch) && Object.keys(branch).length === 1 && branch.type === type;
  return only(first, "integer") && only(second, "string");
}

/** What is wrong with the generic parts of one node (type, extensions); `level` says where the node sits. */
function nodeErrors(schema: Record<string, unknown>, path: string, level: Level): FieldError[] {
  const errors: FieldError[] = [];
  const type = schema.type;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"];
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  const embedded = schema["x-kubernetes-embedded-resource"] === true;
  if (type === "null") errors.push(forbidden(`${path}.type`, "type cannot be set to null, use nullable as an alternative"));
  else if (type !== undefined && (typeof type !== "string" || !TYPES.includes(type))) errors.push(unsupported(`${path}.type`, type, TYPES));
  for (const keyword of UNSUPPORTED_KEYWORDS) if (schema[keyword] !== undefined) errors.push(forbidden(`${path}.${keyword}`, `${keyword} is not supported`));
  if (Array.isArray(schema.items)) errors.push(forbidden(`${path}.items`, "items must be a schema object and not an array"));
  if (schema.uniqueItems === true) errors.push(forbidden(`${path}.uniqueItems`, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
  if (schema.additionalProperties !== undefined && isRecord(schema.properties) && Object.keys(schema.properties).length > 0 && schema.additionalProperties !== true) {
    errors.push(forbidden(`${path}.additionalProperties`, "additionalProperties and properties are mutual exclusive"));
  }
  if (preserve !== undefined && preserve !== true) errors.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, preserve, "must be true or undefined"));
  errors.push(...listTypeErrors(schema, path));
  if (level === "nested") return errors;
  if (schema.additionalProperties !== undefined && level === "root") errors.push(forbidden(`${path}.additionalProperties`, "must not be used at the root"));
  if (intOrString && preserve === true) errors.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, "must be false if x-kubernetes-int-or-string is true"));
  if (intOrString && embedded) errors.push(invalid(`${path}.x-kubernetes-embedded-resource`, true, "must be false if x-kubernetes-int-or-string is true"));
  if (typeof schema.pattern === "string") {
    try {
      RE2JS.compile(schema.pattern);
    } catch (error) {
      errors.push(invalid(`${path}.pattern`, schema.pattern, `must be a valid regular expression, but isn't: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (embedded && type !== "object") errors.push(type ? invalid(`${path}.type`, type, "must be object if x-kubernetes-embedded-resource is true") : required(`${path}.type`, "must be object if x-kubernetes-embedded-resource is true"));
  else if (!type && !intOrString && preserve !== true) {
    const detail = { root: "must not be empty at the root", items: "must not be empty for specified array items", property: "must not be empty for specified object fields", additionalProperties: "must not be empty for specified object fields" }[level];
    errors.push(required(`${path}.type`, detail));
  }
  if (embedded && schema.additionalProperties !== undefined) errors.push(forbidden(`${path}.additionalProperties`, "must not be used if x-kubernetes-embedded-resource is set"));
  if (level === "root" && type && type !== "object") errors.push(invalid(`${path}.type`, type, "must be object at the root"));
  if (level === "root" || embedded) errors.push(...resourceMetaErrors(schema, path, level === "root"));
  if (embedded && preserve !== true && !(isRecord(schema.properties) && Object.keys(schema.properties).length > 0)) {
    errors.push(required(`${path}.properties`, "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
  }
  if (type === "array" && !isRecord(schema.items)) errors.push(required(`${path}.items`, "must be specified"));
  return errors;
}

/** apiVersion, kind and metadata of a resource (the root, or an embedded one) are the API server's to shape. */
function resourceMetaErrors(schema: Record<string, unknown>, path: string, root: boolean): FieldError[] {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const errors: FieldError[] = [];
  for (const key of TYPE_META) {
    const property = properties[key];
    if (isRecord(property) && property.type !== "string") errors.push(invalid(`${prop(path, key)}.type`, property.type ?? "", "must be string"));
    if (root && isRecord(property) && property.default !== undefined) errors.push(forbidden(`${prop(path, key)}.default`, `must not be set in top-level ${key}`));
  }
  const metadata = properties.metadata;
  if (!isRecord(metadata)) return errors;
  if (metadata.type !== "object") errors.push(invalid(`${prop(path, "metadata")}.type`, metadata.type ?? "", "must be object"));
  if (!root) return errors;
  if (metadata.default !== undefined) errors.push(forbidden(`${prop(path, "metadata")}.default`, "must not be set in top-level metadata"));
  const named = isRecord(metadata.properties) ? Object.keys(metadata.properties) : [];
  const onlyNames = Object.keys(metadata).every((key) => key === "type" || key === "properties" || key === "default") && named.every((key) => key === "name" || key === "generateName");
  if (!onlyNames) errors.push(forbidden(prop(path, "metadata"), "must not specify anything other than name and generateName, but metadata is implicitly specified"));
  return errors;
}

function listTypeErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const listType = schema["x-kubernetes-list-type"];
  const keys = Array.isArray(schema["x-kubernetes-list-map-keys"]) ? (schema["x-kubernetes-list-map-keys"] as unknown[]) : [];
  const mapType = schema["x-kubernetes-map-type"];
  const items = isRecord(schema.items) ? schema.items : undefined;
  const typeMustBe = (type: string, extension: string) => {
    const detail = `must be ${type} if ${extension} is specified`;
    errors.push(schema.type ? invalid(`${path}.type`, schema.type, detail) : required(`${path}.type`, detail));
  };
  if (mapType !== undefined && schema.type !== "object") typeMustBe("object", "x-kubernetes-map-type");
  if (mapType !== undefined && mapType !== "atomic" && mapType !== "granular") errors.push(unsupported(`${path}.x-kubernetes-map-type`, mapType, ["atomic", "granular"]));
  if (listType !== undefined && schema.type !== "array") typeMustBe("array", "x-kubernetes-list-type");
  else if (listType === "set" && items) {
    if (items.type === "array" && items["x-kubernetes-list-type"] !== undefined && items["x-kubernetes-list-type"] !== "atomic") errors.push(invalid(`${path}.items.x-kubernetes-list-type`, items["x-kubernetes-list-type"], "must be atomic as item of a list with x-kubernetes-list-type=set"));
    if (items.type === "object" && items["x-kubernetes-map-type"] !== "atomic") errors.push(invalid(`${path}.items.x-kubernetes-map-type`, items["x-kubernetes-map-type"] ?? null, "must be atomic as item of a list with x-kubernetes-list-type=set"));
  }
  if (listType !== undefined && listType !== "atomic" && listType !== "set" && listType !== "map") errors.push(unsupported(`${path}.x-kubernetes-list-type`, listType, ["atomic", "set", "map"]));
  if (keys.length > 0 && listType !== "map") {
    const detail = "must be map if x-kubernetes-list-map-keys is non-empty";
    errors.push(listType === undefined ? required(`${path}.x-kubernetes-list-type`, detail) : invalid(`${path}.x-kubernetes-list-type`, listType, detail));
  }
  if (listType !== "map" && listType !== "set") return errors;
  if (items?.nullable === true) errors.push(forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`));
  if (listType === "set") return errors;
  if (keys.length === 0) errors.push(required(`${path}.x-kubernetes-list-map-keys`, "must not be empty if x-kubernetes-list-type is map"));
  if (!items) return [...errors, required(`${path}.items`, "must have a schema if x-kubernetes-list-type is map")];
  if (items.type !== "object") return [...errors, invalid(`${path}.items.type`, items.type ?? "", "must be object if parent array's x-kubernetes-list-type is map")];
  const properties = isRecord(items.properties) ? items.properties : {};
  const requiredKeys = Array.isArray(items.required) ? items.required : [];
  const seen = new Set<unknown>();
  for (const key of keys) {
    const keySchema = typeof key === "string" ? properties[key] : undefined;
    if (!isRecord(keySchema)) errors.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, "entries must all be names of item properties"));
    else {
      const at = prop(`${path}.items`, key as string);
      if (keySchema.type === "array" || keySchema.type === "object") errors.push(invalid(`${at}.type`, items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
      if (!requiredKeys.includes(key) && keySchema.default === undefined) errors.push(required(`${at}.default`, "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
      if (keySchema.nullable === true) errors.push(forbidden(`${at}.nullable`, "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
    }
    if (seen.has(key)) errors.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, "must not contain duplicate entries"));
    seen.add(key);
  }
  return errors;
}

/** allOf/anyOf/oneOf/not may restrict values but not say what the value is. */
function nestedErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const mustBe = (key: string, detail: string) => schema[key] !== undefined && errors.push(forbidden(`${path}.${key}`, detail));
  mustBe("type", "must be empty to be structural");
  mustBe("additionalProperties", "must be undefined to be structural");
  mustBe("default", "must be undefined to be structural");
  mustBe("title", "must be empty to be structural");
  mustBe("description", "must be empty to be structural");
  if (schema.nullable === true) errors.push(forbidden(`${path}.nullable`, "must be false to be structural"));
  for (const key of ["x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string"]) {
    if (schema[key] === true) errors.push(forbidden(`${path}.${key}`, "must be false to be structural"));
  }
  mustBe("x-kubernetes-list-map-keys", "must be empty to be structural");
  mustBe("x-kubernetes-list-type", "must be undefined to be structural");
  mustBe("x-kubernetes-validations", "must be empty to be structural");
  if (isRecord(schema.properties) && schema.properties.metadata !== undefined) errors.push(forbidden(prop(path, "metadata"), "must not be specified in a nested context"));
  return errors;
}

/** A rule's fieldPath must name a field below the node: `.a.b` or `['a.b']` steps through declared properties. */
/** The schema a relative field path (`.a.b`, `['a.b']`) names below `schema`, or undefined if it names none. */
export function schemaAtFieldPath(schema: Record<string, unknown>, fieldPath: string): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  let rest = fieldPath;
  while (rest && node) {
    const step = /^\.([a-zA-Z_][a-zA-Z0-9_-]*)|^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (!step) return undefined;
    const key = step[1] ?? step[2] ?? "";
    const properties: unknown = node.properties;
    const next: unknown = isRecord(properties) ? properties[key] : isRecord(node.additionalProperties) ? node.additionalProperties : undefined;
    node = isRecord(next) ? next : undefined;
    rest = rest.slice(step[0].length);
  }
  return node;
}

const fieldPathErrors = (fieldPath: string, schema: Record<string, unknown>, path: string): FieldError[] =>
  schemaAtFieldPath(schema, fieldPath) ? [] : [invalid(path, fieldPath, "fieldPath must be a valid path")];

/** Compiles a rule or messageExpression, reporting kube's "compilation failed" error at `field`. */
function compileErrors(source: string, field: string, label: string): { errors: FieldError[]; compiled?: ReturnType<typeof compileExpression> } {
  try {
    return { errors: [], compiled: compileExpression(source, ["self", "oldSelf"]) };
  } catch (error) {
    if (!(error instanceof RuleCompileError)) throw error;
    return { errors: [invalid(field, source, `${label}compilation failed: ${error.message}`)] };
  }
}

/**
 * One x-kubernetes-validations entry: its rule and messageExpression compile, its message is one
 * line, its reason and fieldPath are ones kube knows. `uncorrelatable` is the path above the node
 * from which old values cannot be matched to new ones (an atomic list or map), if any.
 */
function ruleEntryErrors(rule: Record<string, unknown>, schema: Record<string, unknown>, at: string, uncorrelatable: string | undefined, runs: number): FieldError[] {
  const errors: FieldError[] = [];
  const source = typeof rule.rule === "string" ? rule.rule.trim() : "";
  const message = typeof rule.message === "string" ? rule.message : "";
  if (!source) errors.push(required(`${at}.rule`, "rule is not specified"));
  else if (message && !message.trim()) errors.push(invalid(`${at}.message`, message, "message must be non-empty if specified"));
  else if (/[\r\n]/.test(message.trim())) errors.push(invalid(`${at}.message`, message, "message must not contain line breaks"));
  else if (/[\r\n]/.test(source) && !message.trim()) errors.push(required(`${at}.message`, "message must be specified if rule contains line breaks"));
  const messageExpression = typeof rule.messageExpression === "string" ? rule.messageExpression : "";
  if (messageExpression && !messageExpression.trim()) errors.push(required(`${at}.messageExpression`, "messageExpression must be non-empty if specified"));
  if (rule.reason !== undefined && !RULE_REASONS.includes(rule.reason as string)) errors.push(unsupported(`${at}.reason`, rule.reason, RULE_REASONS));
  const fieldPath = typeof rule.fieldPath === "string" ? rule.fieldPath : "";
  if (fieldPath && !fieldPath.trim()) errors.push(invalid(`${at}.fieldPath`, fieldPath, "fieldPath must be non-empty if specified"));
  else if (/[\r\n]/.test(fieldPath)) errors.push(invalid(`${at}.fieldPath`, fieldPath, "fieldPath must not contain line breaks"));
  else if (fieldPath) errors.push(...fieldPathErrors(fieldPath, schema, `${at}.fieldPath`));
  if (source) {
    const { errors: compileFailures, compiled } = compileErrors(source, `${at}.rule`, "");
    errors.push(...compileFailures);
    const estimated = compiled ? estimatedRuleCost(compiled.expr, schema, runs) : 0;
    if (estimated > STATIC_COST_LIMIT) errors.push(forbidden(`${at}.rule`, costErrorMessage("estimated rule cost", estimated)));
    if (compiled?.transition && uncorrelatable !== undefined) errors.push(invalid(`${at}.rule`, source, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
  }
  if (messageExpression.trim()) {
    const { errors: compileFailures, compiled } = compileErrors(messageExpression, `${at}.messageExpression`, "messageExpression ");
    errors.push(...compileFailures);
    const estimated = compiled ? estimatedRuleCost(compiled.expr, schema, runs) : 0;
    if (estimated > STATIC_COST_LIMIT) errors.push(forbidden(`${at}.messageExpression`, costErrorMessage("estimated messageExpression cost", estimated)));
  }
  return errors;
}

function ruleErrors(schema: Record<string, unknown>, path: string, uncorrelatable: string | undefined, runs: number, check: Check): FieldError[] {
  const rules = schema["x-kubernetes-validations"];
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) return [invalid(`${path}.x-kubernetes-validations`, rules, "must be a list")];
  const errors: FieldError[] = [];
  rules.forEach((raw, index) => {
    const at = indexPath(`${path}.x-kubernetes-validations`, index);
    if (++check.rules > MAX_RULES) {
      if (check.rules === MAX_RULES + 1) errors.push(forbidden(at, `a CustomResourceDefinition may have at most ${MAX_RULES} x-kubernetes-validations rules`));
      return;
    }
    errors.push(...ruleEntryErrors(isRecord(raw) ? raw : {}, schema, at, uncorrelatable, runs));
  });
  return errors;
}

/**
 * Walks one schema node at `path`. `uncorrelatable` is the path above from which old values
 * cannot be matched to new ones; `runs` how many times a rule here can run on one object (the
 * product of the sizes of the lists and maps above it).
 */
function walk(raw: unknown, path: string, level: Level, depth: number, uncorrelatable: string | undefined, runs: number, check: Check): void {
  if (!isRecord(raw)) {
    check.errors.push(invalid(path, raw, "must be an object"));
    return;
  }
  if (++check.nodes > MAX_SCHEMA_NODES || depth > MAX_SCHEMA_DEPTH) {
    if (check.nodes === MAX_SCHEMA_NODES + 1 || depth === MAX_SCHEMA_DEPTH + 1) check.errors.push(forbidden(path, `a schema may have at most ${MAX_SCHEMA_NODES} nodes nested at most ${MAX_SCHEMA_DEPTH} deep`));
    return;
  }
  check.errors.push(...nodeErrors(raw, path, level), ...ruleErrors(raw, path, uncorrelatable, runs, check));
  if (level === "nested") check.errors.push(...nestedErrors(raw, path));
  const nested = (next: Level) => (level === "nested" ? "nested" : next);
  if (isRecord(raw.properties)) {
    const below = uncorrelatable ?? (raw["x-kubernetes-map-type"] === "atomic" ? path : undefined);
    for (const [key, child] of Object.entries(raw.properties)) walk(child, prop(path, key), nested("property"), depth + 1, below, runs, check);
  }
  const each = runs * cardinality(raw);
  if (isRecord(raw.additionalProperties)) walk(raw.additionalProperties, `${path}.additionalProperties`, nested("additionalProperties"), depth + 1, uncorrelatable, each, check);
  if (isRecord(raw.items)) walk(raw.items, `${path}.items`, nested("items"), depth + 1, uncorrelatable ?? (raw["x-kubernetes-list-type"] === "map" ? undefined : path), each, check);
  for (const junctor of JUNCTORS) {
    const branches = raw[junctor];
    // kube lets int-or-string be spelled anyOf [integer, string] (controller-gen's way), directly or as allOf's first entry.
    if (junctor === "anyOf" && isIntOrStringAnyOf(branches)) continue;
    if (Array.isArray(branches)) branches.forEach((branch, index) => walkBranch(branch, indexPath(`${path}.${junctor}`, index), junctor === "allOf" && index === 0, depth + 1, path, check));
  }
  if (raw.not !== undefined) walk(raw.not, `${path}.not`, "nested", depth + 1, path, runs, check);
}

/** One allOf/anyOf/oneOf entry; the first allOf entry may be int-or-string's anyOf. */
function walkBranch(branch: unknown, path: string, firstAllOf: boolean, depth: number, uncorrelatable: string, check: Check): void {
  if (firstAllOf && isRecord(branch) && isIntOrStringAnyOf(branch.anyOf)) {
    const { anyOf: _intOrString, ...rest } = branch;
    walk(rest, path, "nested", depth, uncorrelatable, 1, check);
  } else walk(branch, path, "nested", depth, uncorrelatable, 1, check);
}

/** Each default must keep all its fields through pruning and pass its own schema (compiled only where a default is). */
function defaultErrors(raw: unknown, path: string, errors: FieldError[]): void {
  if (!isRecord(raw)) return;
  if (Object.hasOwn(raw, "default")) {
    const node = compileNode(raw);
    if (pruneValue(structuredClone(node.default), node, `${path}.default`).length > 0) errors.push(invalid(`${path}.default`, node.default, "must not have unknown fields"));
    errors.push(...validateValue(node.default, node, `${path}.default`));
  }
  if (isRecord(raw.properties)) for (const [key, child] of Object.entries(raw.properties)) defaultErrors(child, prop(path, key), errors);
  defaultErrors(raw.additionalProperties, `${path}.additionalProperties`, errors);
  defaultErrors(raw.items, `${path}.items`, errors);
}

/** Every way `schema` (a version's openAPIV3Schema at `path`) is not a structural schema kube would accept. */
export function structuralSchemaErrors(schema: unknown, path: string): FieldError[] {
  const check: Check = { errors: [], nodes: 0, rules: 0 };
  walk(schema, path, "root", 0, undefined, 1, check);
  if (isRecord(schema) && schema.nullable === true) check.errors.push(forbidden(`${path}.nullable`, "nullable cannot be true at the root"));
  // kube sorts these errors by their text, so a schema's answer does not depend on map order.
  if (check.errors.length > 0) return check.errors.sort((a, b) => (formatFieldError(a) < formatFieldError(b) ? -1 : 1));
  defaultErrors(schema, path, check.errors);
  return check.errors;
}
