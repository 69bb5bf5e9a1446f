// What kube-apiserver requires of one additionalPrinterColumns entry in a CRD version.
import { isRecord } from "@/lib/kube/crd/compiled-schema";
import { invalid, required, type FieldError } from "@/lib/kube/crd/field-errors";

export const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
export const COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];
/** Skylight's bound on a column's JSONPath (jsonpath-plus evaluates it on every listed object). */
export const MAX_JSON_PATH_LENGTH = 512;

const oneOf = (values: string[]) => `must be one of ${values.join(",")}`;

/** kube's checks of one column, in its words (it names the path field `JSONPath`). */
export function printerColumnErrors(raw: unknown, path: string): FieldError[] {
  const column = isRecord(raw) ? raw : {};
  const errors: FieldError[] = [];
  if (typeof column.name !== "string" || !column.name) errors.push(required(`${path}.name`));
  if (typeof column.type !== "string" || !column.type) errors.push(required(`${path}.type`, oneOf(COLUMN_TYPES)));
  else if (!COLUMN_TYPES.includes(column.type)) errors.push(invalid(`${path}.type`, column.type, oneOf(COLUMN_TYPES)));
  if (typeof column.format === "string" && column.format && !COLUMN_FORMATS.includes(column.format)) errors.push(invalid(`${path}.format`, column.format, oneOf(COLUMN_FORMATS)));
  const jsonPath = column.jsonPath;
  if (typeof jsonPath !== "string" || !jsonPath) errors.push(required(`${path}.JSONPath`));
  else errors.push(...simpleJsonPathErrors(jsonPath, `${path}.JSONPath`));
  if (column.priority !== undefined && (!Number.isInteger(column.priority) || (column.priority as number) < 0)) errors.push(invalid(`${path}.priority`, column.priority, "must be greater than or equal to 0"));
  return errors;
}

/** kube's validateSimpleJSONPath, and Skylight's bound on its length (jsonpath-plus runs it on every listed object). */
export function simpleJsonPathErrors(jsonPath: string, path: string): FieldError[] {
  if (!jsonPath) return [invalid(path, jsonPath, "must not be empty")];
  if (!jsonPath.startsWith(".")) return [invalid(path, jsonPath, "must be a simple json path starting with .")];
  if (jsonPath.length > MAX_JSON_PATH_LENGTH) return [invalid(path, jsonPath, `must be no more than ${MAX_JSON_PATH_LENGTH} characters`)];
  return [];
}
