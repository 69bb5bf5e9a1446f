// Field errors as k8s.io/apimachinery's field.Error words them, so a custom resource or a
// CustomResourceDefinition refused here reads exactly as kube-apiserver would refuse it
// (`spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10`).
import type { StatusCause } from "@/lib/kube/api-status";

export interface FieldError {
  field: string;
  /** kube's ErrorType text: "Required value", "Invalid value", "Unsupported value", "Too long", "Too many", "Duplicate value", "Forbidden". */
  type: string;
  detail: string;
  value?: unknown;
}

/** The types whose text never shows the offending value (field.Error.ErrorBody). */
const VALUELESS = new Set(["Required value", "Forbidden", "Too long", "Internal error"]);

/** Go's %#v of a decoded JSON value, as field.Error prints a map or a list (`map[string]interface {}{"name":"a"}`). */
function goSyntax(value: unknown): string {
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(", ")}}`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `map[string]interface {}{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${goSyntax(record[key])}`).join(", ")}}`;
  }
  if (value === null || value === undefined) return "interface {}(nil)";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** A value as field.Error prints it: numbers and booleans bare (%v), strings quoted (%q), maps and lists in Go syntax (%#v). */
function shownValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  return goSyntax(value);
}

/** One error's text after its field: `Invalid value: 20: <detail>`. */
export function errorBody(error: FieldError): string {
  const head = VALUELESS.has(error.type) || !("value" in error) ? error.type : `${error.type}: ${shownValue(error.value)}`;
  return error.detail ? `${head}: ${error.detail}` : head;
}

/** `spec.replicas: Invalid value: 20: …`, kube's one-line form. */
export const formatFieldError = (error: FieldError) => (error.field ? `${error.field}: ${errorBody(error)}` : errorBody(error));

const REASONS: Record<string, string> = {
  "Required value": "FieldValueRequired",
  "Invalid value": "FieldValueInvalid",
  "Unsupported value": "FieldValueNotSupported",
  "Too long": "FieldValueTooLong",
  "Too many": "FieldValueTooMany",
  "Duplicate value": "FieldValueDuplicate",
  Forbidden: "FieldValueForbidden",
};

/** The Status causes a 422 Invalid answer carries for these errors. */
export const statusCauses = (errors: FieldError[]): StatusCause[] =>
  errors.map((error) => ({ field: error.field, reason: REASONS[error.type] ?? "FieldValueInvalid", message: errorBody(error) }));

export const required = (field: string, detail = ""): FieldError => ({ field, type: "Required value", detail });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({ field, type: "Invalid value", detail, value });
export const forbidden = (field: string, detail: string): FieldError => ({ field, type: "Forbidden", detail });
export const duplicate = (field: string, value: unknown): FieldError => ({ field, type: "Duplicate value", detail: "", value });
export const tooLong = (field: string, max: number): FieldError => ({ field, type: "Too long", detail: `may not be more than ${max} bytes` });
export const tooMany = (field: string, actual: number, max: number): FieldError => ({ field, type: "Too many", detail: `must have at most ${max} items`, value: actual });
export const unsupported = (field: string, value: unknown, supported: unknown[]): FieldError => ({
  field,
  type: "Unsupported value",
  detail: `supported values: ${supported.map(shownValue).join(", ")}`,
  value,
});

/** A child path: `spec.replicas`, or `metadata.labels[app.kubernetes.io/name]` for a key that is not a plain name. */
export const childPath = (path: string, key: string) => (path ? `${path}.${key}` : key);
export const keyPath = (path: string, key: string) => `${path}[${key}]`;
export const indexPath = (path: string, index: number) => `${path}[${index}]`;
