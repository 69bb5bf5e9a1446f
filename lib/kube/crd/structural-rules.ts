// Whether a version's openAPIV3Schema is structural, as apiextensions-apiserver requires of
// every CRD in apiextensions.k8s.io/v1, with its messages: every specified field has a type
// (unless x-kubernetes-preserve-unknown-fields or x-kubernetes-int-or-string says otherwise),
// the root is an object whose metadata declares at most name and generateName, allOf/anyOf/
// oneOf/not carry value validations only, the extensions are used where they mean something,
// patterns are RE2, CEL rules compile, and every default is pruned and valid against its schema.
import { RE2JS } from "@bufbuild/re2";
import { compileExpression, RuleCompileError } from "@/lib/kube/crd/cel-rules";
import { compileNode, isRecord, type SchemaNode } from "@/lib/kube/crd/compiled-schema";
import { defaultValue } from "@/lib/kube/crd/defaulting";
import { forbidden, indexPath, invalid, required, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";
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
const UNSUPPORTED_KEYWORDS = ["$ref", "definitions", "dependencies", "patternProperties", "additionalItems", "id", "$schema"];

type Level = "root" | "property" | "items" | "additionalProperties" | "nested";

interface Check {
  errors: FieldError[];
  nodes: number;
  rules: number;
}

const prop = (path: string, key: string) => `${path}.properties[${key}]`;

/** What is wrong with the generic parts of one node (type, extensions); `level` says where the node sits. */
function nodeErrors(schema: Record<string, unknown>, path: string, level: Level): FieldError[] {
  const errors: FieldError[] = [];
  const type = schema.type;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"];
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  if (type !== undefined && (typeof type !== "string" || !TYPES.includes(type))) errors.push(unsupported(`${path}.type`, type, TYPES));
  if (preserve !== undefined && preserve !== true) errors.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, preserve, "must be true or undefined"));
  if (level !== "nested" && !type && preserve !== true && !intOrString) {
    if (level === "items") errors.push(required(`${path}.type`, "must not be empty for specified array items"));
    else if (level !== "root") errors.push(required(`${path}.type`, "must not be empty for specified object fields"));
    else errors.push(required(`${path}.type`, "must not be empty at the root"));
  }
  if (level === "root" && type && type !== "object") errors.push(invalid(`${path}.type`, type, "must be object at the root"));
  if (intOrString && type) errors.push(invalid(`${path}.type`, type, "must be empty if x-kubernetes-int-or-string is true"));
  if (schema["x-kubernetes-embedded-resource"] === true) {
    if (type !== "object") errors.push(type ? invalid(`${path}.type`, type, "must be object if x-kubernetes-embedded-resource is true") : required(`${path}.type`, "must be object if x-kubernetes-embedded-resource is true"));
    if (preserve !== true && !isRecord(schema.properties)) errors.push(required(`${path}.properties`, "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined) errors.push(forbidden(`${path}.additionalProperties`, "additionalProperties and properties are mutual exclusive"));
  if (schema.additionalProperties === false) errors.push(forbidden(`${path}.additionalProperties`, "must not be false"));
  if (type === "array" && !isRecord(schema.items) && level !== "nested") errors.push(required(`${path}.items`, "must be specified"));
  if (schema.uniqueItems === true) errors.push(forbidden(`${path}.uniqueItems`, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
  for (const keyword of UNSUPPORTED_KEYWORDS) if (schema[keyword] !== undefined) errors.push(forbidden(`${path}.${keyword}`, `${keyword} is not supported`));
  if (typeof schema.pattern === "string") {
    try {
      RE2JS.compile(schema.pattern);
    } catch (error) {
      errors.push(invalid(`${path}.pattern`, schema.pattern, `must be a valid regular expression, but isn't: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  errors.push(...listTypeErrors(schema, path));
  return errors;
}

function listTypeErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const listType = schema["x-kubernetes-list-type"];
  const keys = schema["x-kubernetes-list-map-keys"];
  const mapType = schema["x-kubernetes-map-type"];
  const items = isRecord(schema.items) ? schema.items : undefined;
  if (listType !== undefined) {
    if (schema.type !== "array") errors.push(invalid(`${path}.x-kubernetes-list-type`, listType, "must only be used if type == array"));
    if (!["atomic", "set", "map"].includes(listType as string)) errors.push(unsupported(`${path}.x-kubernetes-list-type`, listType, ["atomic", "set", "map"]));
  }
  if (listType === "set" && items && (items.type === "object" || items.type === "array") && items["x-kubernetes-map-type"] !== "atomic" && items["x-kubernetes-list-type"] !== "atomic") {
    errors.push(invalid(`${path}.items.type`, items.type, "must be a scalar type if parent array type is set"));
  }
  if (listType === "map") {
    if (!Array.isArray(keys) || keys.length === 0) errors.push(required(`${path}.x-kubernetes-list-map-keys`, "must not be empty if x-kubernetes-list-type is map"));
    if (items && items.type !== "object") errors.push(invalid(`${path}.items.type`, items.type, "must be object if parent array's x-kubernetes-list-type is map"));
    const properties = items && isRecord(items.properties) ? items.properties : {};
    const requiredKeys = Array.isArray(items?.required) ? items.required : [];
    if (Array.isArray(keys)) {
      keys.forEach((key, index) => {
        const at = indexPath(`${path}.x-kubernetes-list-map-keys`, index);
        const keySchema = typeof key === "string" ? properties[key] : undefined;
        if (!isRecord(keySchema)) errors.push(invalid(at, key, "entries must all be names of item properties"));
        else {
          if (!["string", "integer", "number", "boolean"].includes(keySchema.type as string)) errors.push(invalid(at, key, "must be a scalar type"));
          if (!requiredKeys.includes(key) && !Object.hasOwn(keySchema, "default")) errors.push(required(prop(`${path}.items`, key as string), "all map keys must be required or have a default value"));
        }
      });
    }
  } else if (keys !== undefined) errors.push(forbidden(`${path}.x-kubernetes-list-map-keys`, "must be empty if x-kubernetes-list-type is not map"));
  if (mapType !== undefined) {
    if (schema.type !== "object") errors.push(invalid(`${path}.x-kubernetes-map-type`, mapType, "must only be used if type == object"));
    if (mapType !== "granular" && mapType !== "atomic") errors.push(unsupported(`${path}.x-kubernetes-map-type`, mapType, ["granular", "atomic"]));
  }
  return errors;
}

/** allOf/anyOf/oneOf/not may restrict values but not say what the value is. */
function nestedErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const mustBe = (key: string, detail: string) => schema[key] !== undefined && errors.push(forbidden(`${path}.${key}`, detail));
  for (const key of ["type", "title", "description"]) mustBe(key, "must be empty to be structural");
  for (const key of ["additionalProperties", "default", "x-kubernetes-list-type", "x-kubernetes-map-type"]) mustBe(key, "must be undefined to be structural");
  for (const key of ["x-kubernetes-list-map-keys", "x-kubernetes-validations"]) mustBe(key, "must be empty to be structural");
  if (schema.nullable === true) errors.push(forbidden(`${path}.nullable`, "must be false to be structural"));
  for (const key of ["x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string"]) {
    if (schema[key] !== undefined) errors.push(forbidden(`${path}.${key}`, "must be false to be structural"));
  }
  return errors;
}

/** The root's metadata may only constrain name and generateName (the API server owns the rest). */
function rootMetadataErrors(metadata: unknown, path: string): FieldError[] {
  if (!isRecord(metadata)) return [];
  const errors: FieldError[] = [];
  if (metadata.type !== undefined && metadata.type !== "object") errors.push(invalid(`${path}.type`, metadata.type, "must be object"));
  const properties = isRecord(metadata.properties) ? Object.keys(metadata.properties) : [];
  const allowed = Object.keys(metadata).every((key) => ["type", "properties", "description"].includes(key)) && properties.every((key) => key === "name" || key === "generateName");
  if (!allowed) errors.push(forbidden(path, "must not specify anything other than name and generateName, but metadata is implicitly specified"));
  return errors;
}

/** A rule's fieldPath must name a field below the node: `.a.b` or `['a.b']` steps through declared properties. */
function fieldPathErrors(fieldPath: string, schema: Record<string, unknown>, path: string): FieldError[] {
  let node: Record<string, unknown> | undefined = schema;
  let rest = fieldPath;
  while (rest && node) {
    const step = /^\.([a-zA-Z_][a-zA-Z0-9_-]*)|^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (!step) return [invalid(path, fieldPath, "fieldPath must be a valid path")];
    const key = step[1] ?? step[2] ?? "";
    const properties: unknown = node.properties;
    const next: unknown = isRecord(properties) ? properties[key] : isRecord(node.additionalProperties) ? node.additionalProperties : undefined;
    node = isRecord(next) ? next : undefined;
    rest = rest.slice(step[0].length);
  }
  return node ? [] : [invalid(path, fieldPath, "fieldPath must be a valid path: does not refer to a valid field within the schema")];
}

function ruleErrors(schema: Record<string, unknown>, path: string, correlatable: boolean, check: Check): FieldError[] {
  const rules = schema["x-kubernetes-validations"];
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) return [invalid(`${path}.x-kubernetes-validations`, rules, "must be a list")];
  const errors: FieldError[] = [];
  rules.forEach((raw, index) => {
    const at = indexPath(`${path}.x-kubernetes-validations`, index);
    const rule = isRecord(raw) ? raw : {};
    if (++check.rules > MAX_RULES) {
      if (check.rules === MAX_RULES + 1) errors.push(forbidden(at, `a CustomResourceDefinition may have at most ${MAX_RULES} x-kubernetes-validations rules`));
      return;
    }
    if (typeof rule.rule !== "string" || !rule.rule.trim()) errors.push(required(`${at}.rule`));
    else {
      try {
        const { transition } = compileExpression(rule.rule, ["self", "oldSelf"]);
        if (transition && !correlatable) errors.push(invalid(`${at}.rule`, rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${path}`));
      } catch (error) {
        if (!(error instanceof RuleCompileError)) throw error;
        errors.push(invalid(`${at}.rule`, rule.rule, `compilation failed: ${error.message}`));
      }
    }
    if (typeof rule.message === "string" && /[\r\n]/.test(rule.message)) errors.push(invalid(`${at}.message`, rule.message, "message must not contain line breaks"));
    if (typeof rule.messageExpression === "string") {
      try {
        compileExpression(rule.messageExpression, ["self", "oldSelf"]);
      } catch (error) {
        if (!(error instanceof RuleCompileError)) throw error;
        errors.push(invalid(`${at}.messageExpression`, rule.messageExpression, `messageExpression compilation failed: ${error.message}`));
      }
    }
    if (rule.reason !== undefined && !RULE_REASONS.includes(rule.reason as string)) errors.push(unsupported(`${at}.reason`, rule.reason, RULE_REASONS));
    if (typeof rule.fieldPath === "string" && rule.fieldPath) errors.push(...fieldPathErrors(rule.fieldPath, schema, `${at}.fieldPath`));
  });
  return errors;
}

function walk(raw: unknown, path: string, level: Level, depth: number, correlatable: boolean, check: Check): void {
  if (!isRecord(raw)) {
    check.errors.push(invalid(path, raw, "must be an object"));
    return;
  }
  if (++check.nodes > MAX_SCHEMA_NODES || depth > MAX_SCHEMA_DEPTH) {
    if (check.nodes === MAX_SCHEMA_NODES + 1 || depth === MAX_SCHEMA_DEPTH + 1) check.errors.push(forbidden(path, `a schema may have at most ${MAX_SCHEMA_NODES} nodes nested at most ${MAX_SCHEMA_DEPTH} deep`));
    return;
  }
  check.errors.push(...nodeErrors(raw, path, level), ...ruleErrors(raw, path, correlatable, check));
  if (level === "nested") check.errors.push(...nestedErrors(raw, path));
  if (isRecord(raw.properties)) {
    for (const [key, child] of Object.entries(raw.properties)) {
      if (level === "root" && key === "metadata") check.errors.push(...rootMetadataErrors(child, prop(path, key)));
      walk(child, prop(path, key), level === "nested" ? "nested" : "property", depth + 1, correlatable, check);
    }
  }
  if (isRecord(raw.additionalProperties)) walk(raw.additionalProperties, `${path}.additionalProperties`, level === "nested" ? "nested" : "additionalProperties", depth + 1, correlatable, check);
  if (isRecord(raw.items)) walk(raw.items, `${path}.items`, level === "nested" ? "nested" : "items", depth + 1, correlatable && raw["x-kubernetes-list-type"] === "map", check);
  for (const junctor of JUNCTORS) {
    const branches = raw[junctor];
    if (Array.isArray(branches)) branches.forEach((branch, index) => walk(branch, indexPath(`${path}.${junctor}`, index), "nested", depth + 1, false, check));
  }
  if (raw.not !== undefined) walk(raw.not, `${path}.not`, "nested", depth + 1, false, check);
}

/** Each default must keep all its fields through pruning and pass its own schema (nested defaults applied first). */
function defaultErrors(raw: unknown, node: SchemaNode, path: string, errors: FieldError[]): void {
  if (!isRecord(raw)) return;
  if (node.hasDefault) {
    const value = structuredClone(node.default);
    const pruned = pruneValue(value, node, `${path}.default`);
    if (pruned.length > 0) errors.push(invalid(`${path}.default`, node.default, `must not have unknown fields: ${pruned.join(", ")}`));
    defaultValue(value, node);
    errors.push(...validateValue(value, node, `${path}.default`));
  }
  if (isRecord(raw.properties) && node.properties) for (const [key, child] of node.properties) defaultErrors(raw.properties[key], child, prop(path, key), errors);
  if (node.additionalProperties) defaultErrors(raw.additionalProperties, node.additionalProperties, `${path}.additionalProperties`, errors);
  if (node.items) defaultErrors(raw.items, node.items, `${path}.items`, errors);
}

/** Every way `schema` (a version's openAPIV3Schema at `path`) is not a structural schema kube would accept. */
export function structuralSchemaErrors(schema: unknown, path: string): FieldError[] {
  const check: Check = { errors: [], nodes: 0, rules: 0 };
  walk(schema, path, "root", 0, true, check);
  if (check.errors.length > 0) return check.errors;
  defaultErrors(schema, compileNode(schema), path, check.errors);
  return check.errors;
}
