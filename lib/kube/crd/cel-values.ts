// A custom resource's JSON as CEL sees it, typed by the schema as kube types it: an integer field
// is a CEL int (even when its JSON spelling is 5.0), a number field a double (even for 5), an
// object or a map a CEL map, an array a list; values under x-kubernetes-preserve-unknown-fields
// or int-or-string take the type their JSON spelling suggests, and a string of format date-time or
// duration is a CEL timestamp or duration (as written, if it is not one). A declared property is named as
// kube escapes it (`x-foo` is `self.x__dash__foo`, `namespace` is `self.__namespace__`); map keys
// are not escaped.
import { celEnv, isCelError, parse, plan, type CelInput } from "@bufbuild/cel";
import { isRecord, type SchemaNode } from "@/lib/kube/crd/compiled-schema";

function untyped(value: unknown): CelInput {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(untyped);
  if (isRecord(value)) return new Map(Object.entries(value).map(([key, item]) => [key, untyped(item)]));
  return value as CelInput;
}

const conversions = celEnv({});
const asTimestamp = plan(conversions, parse("timestamp(value)"));
const asDuration = plan(conversions, parse("duration(value)"));

/** A date-time or duration string as CEL's timestamp or duration; the string itself if it does not parse. */
function temporal(value: string, format: string | undefined): CelInput {
  const convert = format === "date-time" ? asTimestamp : format === "duration" ? asDuration : undefined;
  const converted = convert?.({ value });
  return converted === undefined || isCelError(converted) ? value : (converted as CelInput);
}

const RESERVED = new Set(["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]);
const ESCAPES: Record<string, string> = { __: "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__" };

/** A property's name in CEL (k8s.io/apiserver/pkg/cel/escaping.go), or undefined if CEL cannot name it. */
export function escapedPropertyName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (match) => ESCAPES[match] ?? match);
}

export function toCel(value: unknown, node: SchemaNode | undefined): CelInput {
  if (!node || value === null || value === undefined) return untyped(value);
  if (typeof value === "number") {
    if (node.type === "number") return value;
    return Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === "string") return node.type === "string" ? temporal(value, node.format) : value;
  if (Array.isArray(value)) return value.map((item) => toCel(item, node.items));
  if (isRecord(value)) {
    const entries: [string, CelInput][] = [];
    for (const [key, item] of Object.entries(value)) {
      const property = node.properties?.get(key);
      const name = property ? escapedPropertyName(key) : key;
      if (name !== undefined) entries.push([name, toCel(item, property ?? node.additionalProperties)]);
    }
    return new Map(entries);
  }
  return value as CelInput;
}
