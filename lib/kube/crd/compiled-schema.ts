// A CustomResourceDefinition's openAPIV3Schema read once into a tree the validator, pruner and
// defaulter walk: patterns compiled to RE2 matchers (linear time whatever the input, so a
// pattern from a CRD author cannot be turned against the server by a user's object) and
// x-kubernetes-validations rules parsed and planned, so a write pays for neither.
import { RE2JS } from "@bufbuild/re2";
import { compileRule, type CompiledRule } from "@/lib/kube/crd/cel-rules";

export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface SchemaNode {
  type?: SchemaType;
  nullable: boolean;
  format?: string;
  properties?: Map<string, SchemaNode>;
  /** The schema of a map's values (additionalProperties as a schema; `true` reads as an untyped value). */
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
  required: string[];
  enum?: unknown[];
  pattern?: { source: string; matcher: RE2JS };
  maximum?: number;
  minimum?: number;
  exclusiveMaximum: boolean;
  exclusiveMinimum: boolean;
  multipleOf?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  uniqueItems: boolean;
  maxProperties?: number;
  minProperties?: number;
  allOf: SchemaNode[];
  anyOf: SchemaNode[];
  oneOf: SchemaNode[];
  not?: SchemaNode;
  default?: unknown;
  hasDefault: boolean;
  preserveUnknownFields: boolean;
  intOrString: boolean;
  embeddedResource: boolean;
  listType?: "atomic" | "set" | "map";
  listMapKeys: string[];
  mapType?: "granular" | "atomic";
  rules: CompiledRule[];
}

/** A custom resource version's schema, compiled; `root` is the openAPIV3Schema itself. */
export interface CompiledSchema {
  root: SchemaNode;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

const numberOr = (value: unknown) => (typeof value === "number" ? value : undefined);

const SCHEMA_TYPES = new Set(["object", "array", "string", "integer", "number", "boolean"]);

/** Reads one schema node; throws on what CRD validation refuses (a bad pattern, a rule that does not compile). */
export function compileNode(raw: unknown): SchemaNode {
  const schema = isRecord(raw) ? raw : {};
  const children = (key: string) => (Array.isArray(schema[key]) ? (schema[key] as unknown[]).map(compileNode) : []);
  const properties = isRecord(schema.properties) ? new Map(Object.entries(schema.properties).map(([key, value]) => [key, compileNode(value)])) : undefined;
  const additional = schema.additionalProperties;
  const node: SchemaNode = {
    type: typeof schema.type === "string" && SCHEMA_TYPES.has(schema.type) ? (schema.type as SchemaType) : undefined,
    nullable: schema.nullable === true,
    format: typeof schema.format === "string" && schema.format ? schema.format : undefined,
    properties,
    additionalProperties: isRecord(additional) ? compileNode(additional) : additional === true ? compileNode({ "x-kubernetes-preserve-unknown-fields": true }) : undefined,
    items: isRecord(schema.items) ? compileNode(schema.items) : undefined,
    required: Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === "string") : [],
    enum: Array.isArray(schema.enum) ? schema.enum : undefined,
    pattern: typeof schema.pattern === "string" ? { source: schema.pattern, matcher: RE2JS.compile(schema.pattern) } : undefined,
    maximum: numberOr(schema.maximum),
    minimum: numberOr(schema.minimum),
    exclusiveMaximum: schema.exclusiveMaximum === true,
    exclusiveMinimum: schema.exclusiveMinimum === true,
    multipleOf: numberOr(schema.multipleOf),
    maxLength: numberOr(schema.maxLength),
    minLength: numberOr(schema.minLength),
    maxItems: numberOr(schema.maxItems),
    minItems: numberOr(schema.minItems),
    uniqueItems: schema.uniqueItems === true,
    maxProperties: numberOr(schema.maxProperties),
    minProperties: numberOr(schema.minProperties),
    allOf: children("allOf"),
    anyOf: children("anyOf"),
    oneOf: children("oneOf"),
    not: isRecord(schema.not) ? compileNode(schema.not) : undefined,
    default: schema.default,
    hasDefault: Object.hasOwn(schema, "default"),
    preserveUnknownFields: schema["x-kubernetes-preserve-unknown-fields"] === true,
    intOrString: schema["x-kubernetes-int-or-string"] === true,
    embeddedResource: schema["x-kubernetes-embedded-resource"] === true,
    listType: (["atomic", "set", "map"] as const).find((type) => type === schema["x-kubernetes-list-type"]),
    listMapKeys: Array.isArray(schema["x-kubernetes-list-map-keys"]) ? schema["x-kubernetes-list-map-keys"].filter((key): key is string => typeof key === "string") : [],
    mapType: (["granular", "atomic"] as const).find((type) => type === schema["x-kubernetes-map-type"]),
    rules: [],
  };
  const rules = schema["x-kubernetes-validations"];
  if (Array.isArray(rules)) node.rules = rules.map(compileRule);
  return node;
}
