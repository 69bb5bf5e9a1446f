// What a core v1 ConfigMap or Secret may hold, in kube-apiserver's words (pkg/apis/core/validation:
// ValidateConfigMap, ValidateSecret and their updates): keys of `[-._a-zA-Z0-9]+` up to 253
// characters, at most 1 MiB in all, base64 for a Secret's data and for binaryData, no key in both
// data and binaryData, `immutable: true` freezing data (and itself), a Secret's type fixed and the
// keys its type needs. A Secret's stringData is merged into data here, as kube-apiserver does, so
// it is never stored. The fields are kept in the resources table's spec column (see
// lib/vocabulary/config-object-fields.ts for the top-level shape the API serves). Refusals never echo a
// Secret's values.
import { sameJson } from "@/lib/engine/same-json";
import { InvalidInputError } from "@/lib/errors";

export type ConfigKind = "ConfigMap" | "Secret";

export const isConfigKind = (kind: string): kind is ConfigKind => kind === "ConfigMap" || kind === "Secret";

/** A ConfigMap's or Secret's stored fields: data (a Secret's base64), binaryData (base64), immutable, and a Secret's type. */
export interface ConfigObjectSpec {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
  type?: string;
}

/** What a client sent at the top level of the object. */
export interface ConfigObjectInput extends ConfigObjectSpec {
  stringData?: Record<string, string>;
}

/** kube's MaxSecretSize, which bounds a ConfigMap's keys and values too. */
export const MAX_CONFIG_OBJECT_BYTES = 1024 * 1024;
const MAX_KEY_LENGTH = 253;
const KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const REDACTED = "<secret contents redacted>";
const IMMUTABLE = "field is immutable when `immutable` is set";

/** The keys each Secret type needs, as ValidateSecret demands them. */
const REQUIRED_KEYS: Record<string, string[]> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};

/** Where a key is named in a refusal, as kube names it: data[key]. */
const at = (field: string, key: string) => `${field}[${key}]`;

/** A key, which is a name and never a value: refusals show it. */
function checkKey(field: string, key: string): void {
  const shown = JSON.stringify(key);
  if (key.length > MAX_KEY_LENGTH) throw new InvalidInputError(at(field, key), `Invalid value: ${shown}: must be no more than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_PATTERN.test(key) || key === "." || key === "..") {
    throw new InvalidInputError(
      at(field, key),
      `Invalid value: ${shown}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
  }
}

function stringMap(field: string, value: unknown, redact: boolean): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError(field, `Invalid value: must be an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    checkKey(field, key);
    if (typeof item !== "string") throw new InvalidInputError(at(field, key), `Invalid value: ${redact ? `"${REDACTED}"` : JSON.stringify(item)}: must be a string`);
  }
  return value as Record<string, string>;
}

function decodedSize(field: string, values: Record<string, string>): number {
  let size = 0;
  for (const [key, value] of Object.entries(values)) {
    if (!BASE64.test(value)) throw new InvalidInputError(at(field, key), `Invalid value: "${REDACTED}": must be base64-encoded (illegal base64 data)`);
    size += key.length + Buffer.byteLength(value, "base64");
  }
  return size;
}

function textSize(values: Record<string, string>): number {
  let size = 0;
  for (const [key, value] of Object.entries(values)) size += key.length + Buffer.byteLength(value);
  return size;
}

const withoutEmpty = (spec: ConfigObjectSpec): ConfigObjectSpec =>
  Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined && !(typeof value === "object" && Object.keys(value).length === 0))) as ConfigObjectSpec;

/** Refuses a change kube-apiserver's update validation refuses: an immutable object's data. */
function checkUpdate(next: ConfigObjectSpec, current: ConfigObjectSpec): void {
  if (current.immutable !== true) return;
  if (next.immutable !== true) throw new InvalidInputError("immutable", `Forbidden: ${IMMUTABLE}`);
  if (!sameJson(next.data ?? {}, current.data ?? {})) throw new InvalidInputError("data", `Forbidden: ${IMMUTABLE}`);
  if (!sameJson(next.binaryData ?? {}, current.binaryData ?? {})) throw new InvalidInputError("binaryData", `Forbidden: ${IMMUTABLE}`);
}

function checkImmutable(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new InvalidInputError("immutable", `Invalid value: ${JSON.stringify(value)}: must be true or false`);
  return value;
}

/** A ConfigMap's stored fields from what a client sent, checked against `current` on an update. */
export function admitConfigMap(input: ConfigObjectInput, current?: ConfigObjectSpec): ConfigObjectSpec {
  const data = stringMap("data", input.data, false) ?? {};
  const binaryData = stringMap("binaryData", input.binaryData, false) ?? {};
  for (const key of Object.keys(binaryData)) {
    if (Object.hasOwn(data, key)) throw new InvalidInputError(at("binaryData", key), `Invalid value: ${JSON.stringify(key)}: duplicate of key present in data`);
  }
  if (textSize(data) + decodedSize("binaryData", binaryData) > MAX_CONFIG_OBJECT_BYTES) {
    throw new InvalidInputError("data", `Too long: must have at most ${MAX_CONFIG_OBJECT_BYTES} bytes`);
  }
  const spec = withoutEmpty({ data, binaryData, immutable: checkImmutable(input.immutable) });
  if (current) checkUpdate(spec, current);
  return spec;
}

/** A Secret's stored fields from what a client sent: stringData merged into data (base64), checked against `current` on an update. */
export function admitSecret(input: ConfigObjectInput, annotations: Record<string, string>, current?: ConfigObjectSpec): ConfigObjectSpec {
  const type = input.type ?? "Opaque";
  if (typeof type !== "string" || type.length === 0 || type.length > MAX_KEY_LENGTH) throw new InvalidInputError("type", `Invalid value: ${JSON.stringify(type)}: must be a non-empty string of at most ${MAX_KEY_LENGTH} characters`);
  // Before the type's own rules: a new type's missing keys are not the point.
  if (current && type !== (current.type ?? "Opaque")) throw new InvalidInputError("type", `Invalid value: ${JSON.stringify(type)}: field is immutable`);
  const data = { ...(stringMap("data", input.data, true) ?? {}) };
  const stringData = stringMap("stringData", input.stringData, true) ?? {};
  for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, "utf8").toString("base64");
  if (decodedSize("data", data) > MAX_CONFIG_OBJECT_BYTES) throw new InvalidInputError("data", `Too long: must have at most ${MAX_CONFIG_OBJECT_BYTES} bytes`);
  for (const key of REQUIRED_KEYS[type] ?? []) if (!Object.hasOwn(data, key)) throw new InvalidInputError(at("data", key), "Required value");
  if (type === "kubernetes.io/basic-auth" && !Object.hasOwn(data, "username") && !Object.hasOwn(data, "password")) {
    throw new InvalidInputError(at("data", "username"), "Required value");
  }
  if (type === "kubernetes.io/service-account-token" && !annotations["kubernetes.io/service-account.name"]) {
    throw new InvalidInputError("metadata.annotations[kubernetes.io/service-account.name]", "Required value");
  }
  for (const key of [".dockerconfigjson", ".dockercfg"]) {
    if (REQUIRED_KEYS[type]?.includes(key) && !isJsonObject(Buffer.from(data[key]!, "base64").toString("utf8"))) {
      throw new InvalidInputError(at("data", key), `Invalid value: "${REDACTED}": must be a JSON object`);
    }
  }
  const spec = withoutEmpty({ data, immutable: checkImmutable(input.immutable), type });
  if (current) checkUpdate(spec, current);
  return spec;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** What a Secret's audit event records instead of its values: each key and the size of its value. */
export function redactedSecret(spec: ConfigObjectSpec): ConfigObjectSpec {
  const sizes = Object.fromEntries(Object.entries(spec.data ?? {}).map(([key, value]) => [key, `${Buffer.byteLength(value, "base64")} bytes`]));
  return withoutEmpty({ ...spec, data: sizes });
}
