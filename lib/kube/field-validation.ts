// Field validation as kube-apiserver does it (the fieldValidation parameter, kubectl's --validate):
// the object a create, update or patch would store, or the configuration an apply sends, is
// checked against the schema /openapi/v2 and /openapi/v3 publish for its kind (lib/kube/openapi.ts),
// so what `kubectl explain` shows and what a write is held to are one source. A field the schema
// does not declare is refused (Strict), reported in a Warning header (Warn, the default) or left
// out silently (Ignore), and is never stored; a server-side apply refuses it whatever the mode, as
// kube-apiserver's typed apply does. A value of the wrong type is refused in every mode.
//
// A walker rather than a JSON Schema library: the schema uses a small subset (type, properties,
// additionalProperties, items, $ref) plus kube's own extensions (x-kubernetes-preserve-unknown-fields,
// int-or-string, quantities), and kube's answers need the unknown paths collected and pruned
// and its own wording, which a library's error objects would have to be translated into anyway.
// It descends only where the schema declares structure, so its depth is the schema's and its
// work at most one step per value the write holds (bounded by lib/kube/object-bounds.ts).
import { groupVersionOf, servedKind, type ApiResource } from "@/lib/kube/api-resources";
import { badRequest, invalid, type StatusCause } from "@/lib/kube/api-status";
import { objectSchemaOf } from "@/lib/kube/openapi";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

const MODES: readonly FieldValidation[] = ["Ignore", "Strict", "Warn"];

/** How many unknown fields or wrong types one answer names; the rest are counted. */
export const MAX_REPORTED_FIELDS = 20;

/** How much of one field's path an answer shows (then "..."; a Warning header holds ASCII only): a key may be as long as the body. */
export const MAX_REPORTED_PATH = 256;

const shown = (path: string) => (path.length > MAX_REPORTED_PATH ? `${path.slice(0, MAX_REPORTED_PATH)}...` : path);

/** The request's fieldValidation parameter; absent or empty is Warn, kube-apiserver's default. */
export function fieldValidationMode(parameter: string | null | undefined): FieldValidation {
  if (!parameter) return "Warn";
  if (!MODES.includes(parameter as FieldValidation)) {
    throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(parameter)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  return parameter as FieldValidation;
}

type Schema = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** kube-openapi's name for a JSON value's type, as its "must be of type" messages quote it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, schema: Schema): boolean {
  const actual = jsonType(value);
  if (schema.format === "int-or-string") return actual === "string" || actual === "integer";
  if (schema.format === "quantity") return actual === "string" || actual === "integer" || actual === "number";
  if (schema.type === "number") return actual === "integer" || actual === "number";
  return actual === schema.type;
}

interface Findings {
  unknown: string[];
  wrongTypes: StatusCause[];
}

/** Each kind's schema, built once; a custom kind's again when its definition changed (another resourceVersion). */
const definitionsCache = new Map<string, { version: string; schemas: ReturnType<typeof objectSchemaOf> }>();

function schemaFor(resource: ApiResource) {
  const key = `${groupVersionOf(resource)}/${resource.kind}`;
  const version = resource.custom?.definition.resourceVersion ?? "";
  let entry = definitionsCache.get(key);
  if (entry?.version !== version) definitionsCache.set(key, (entry = { version, schemas: objectSchemaOf(resource) }));
  return entry.schemas;
}

/** `value` with the fields `schema` does not declare left out; what it finds goes into `findings`. */
function walk(value: unknown, schema: Schema, path: string, definitions: Record<string, Schema>, findings: Findings): unknown {
  if (typeof schema.$ref === "string") schema = definitions[schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1)] ?? {};
  // A null is an absent field (kubectl sends creationTimestamp: null), as kube-apiserver reads it.
  if (value === null || value === undefined) return value;
  if (typeof schema.type === "string" && !hasType(value, schema)) {
    const actual = jsonType(value);
    findings.wrongTypes.push({ field: shown(path), reason: "FieldValueTypeInvalid", message: `Invalid value: "${actual}": ${shown(path)} in body must be of type ${schema.type}: "${actual}"` });
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    return isRecord(items) ? value.map((item, index) => walk(item, items, `${path}[${index}]`, definitions, findings)) : value;
  }
  if (!isRecord(value)) return value;
  const properties = isRecord(schema.properties) ? (schema.properties as Record<string, Schema>) : undefined;
  const additional = schema.additionalProperties;
  const preserves = schema["x-kubernetes-preserve-unknown-fields"] === true || additional === true;
  // An object schema that declares nothing (FieldsV1, a patch) is free-form, as kube's own are.
  if (!properties && !isRecord(additional)) return value;
  const kept: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const declared = properties && Object.hasOwn(properties, key) ? properties[key] : isRecord(additional) ? additional : undefined;
    if (declared) kept.push([key, walk(item, declared, at, definitions, findings)]);
    else if (preserves) kept.push([key, item]);
    else findings.unknown.push(at);
  }
  return Object.fromEntries(kept);
}

/** At most MAX_REPORTED_FIELDS of `items`, and how many more there were. */
function reported<T>(items: T[], more: (count: number) => T): T[] {
  return items.length > MAX_REPORTED_FIELDS ? [...items.slice(0, MAX_REPORTED_FIELDS), more(items.length - MAX_REPORTED_FIELDS)] : items;
}

export interface FieldCheck<T> {
  /** The object without the fields its schema does not declare. */
  object: T;
  /** Warnings for the response's Warning headers (Warn mode). */
  warnings: string[];
}

/**
 * Checks `object` (a created or replaced object, a patched result, or with `apply` an apply
 * configuration) of `resource` against its published schema, in `mode`. Throws 422 naming each
 * wrong type, and 400 naming each unknown field when Strict (or applying).
 */
export function checkFields<T>(resource: ApiResource, object: T, options: UnknownFieldOptions): FieldCheck<T> {
  const { schema, definitions } = schemaFor(resource);
  const findings: Findings = { unknown: [], wrongTypes: [] };
  const pruned = walk(object, schema, "", definitions, findings) as T;
  if (findings.wrongTypes.length > 0) {
    const more = (count: number): StatusCause => ({ reason: "FieldValueTypeInvalid", message: `and ${count} more fields of the wrong type` });
    throw invalid({ group: resource.group, plural: resource.plural, kind: resource.kind, name: options.name }, reported(findings.wrongTypes, more));
  }
  return { object: pruned, warnings: reportUnknownFields(resource, findings.unknown, options) };
}

export interface UnknownFieldOptions {
  mode: FieldValidation;
  name: string;
  namespace?: string;
  apply?: boolean;
}

/**
 * What the fields a write named but the schema does not declare (`unknown`, their paths) come to
 * in `options.mode`: a 400 when Strict or applying, warnings when Warn, nothing when Ignore.
 */
export function reportUnknownFields(resource: ApiResource, unknownPaths: string[], options: UnknownFieldOptions): string[] {
  const more = (count: number) => `and ${count} more unknown fields`;
  if (unknownPaths.length > 0 && options.apply) {
    // structured-merge-diff's words, as kube-apiserver refuses an apply configuration it cannot type.
    const errors = reported(unknownPaths.map((path) => `.${shown(path)}: field not declared in schema`), more);
    const where = `${options.namespace ? `${options.namespace}/` : ""}${options.name}; ${groupVersionOf(resource)}, Kind=${servedKind(resource)}`;
    throw badRequest(`failed to create typed patch object (${where}): ${errors.length === 1 ? errors[0] : ["errors:", ...errors].join("\n  ")}`);
  }
  const unknown = reported(unknownPaths.map((path) => `unknown field "${shown(path)}"`), more);
  if (unknown.length > 0 && options.mode === "Strict") {
    throw badRequest(`${servedKind(resource)} in version "${resource.version}" cannot be handled as a ${servedKind(resource)}: strict decoding error: ${unknown.join(", ")}`);
  }
  return options.mode === "Warn" ? unknown : [];
}

/**
 * A Warning header's value (RFC 7234 warn-code 299, no agent), as kube-apiserver sends each
 * warning: its UTF-8 bytes as Node writes a latin1 string, since Node refuses a header character
 * above U+00FF; a control character, which no header may hold, is "?".
 */
export function warningHeader(text: string): string {
  const quoted = text.replace(/[\\"]/g, (character) => `\\${character}`).replace(/[\u0000-\u001f\u007f]/g, "?");
  return Buffer.from(`299 - "${quoted}"`, "utf8").toString("latin1");
}
