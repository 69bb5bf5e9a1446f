// What kube-apiserver requires of one additionalPrinterColumns entry in a CRD version.
import { isRecord } from "@/lib/kube/crd/compiled-schema";
import { invalid, required, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";

export const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
export const COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"];
/** Skylight's bound on a column's JSONPath (jsonpath-plus evaluates it on every listed object). */
export const MAX_JSON_PATH_LENGTH = 512;

export function printerColumnErrors(raw: unknown, path: string): FieldError[] {
  const column = isRecord(raw) ? raw : {};
  const errors: FieldError[] = [];
  if (typeof column.name !== "string" || !column.name) errors.push(required(`${path}.name`));
  if (typeof column.type !== "string" || !column.type) errors.push(required(`${path}.type`));
  else if (!COLUMN_TYPES.includes(column.type)) errors.push(unsupported(`${path}.type`, column.type, COLUMN_TYPES));
  if (column.format !== undefined && column.format !== "" && !COLUMN_FORMATS.includes(column.format as string)) errors.push(unsupported(`${path}.format`, column.format, COLUMN_FORMATS));
  const jsonPath = column.jsonPath;
  if (typeof jsonPath !== "string" || !jsonPath) errors.push(required(`${path}.jsonPath`));
  else if (!jsonPath.startsWith(".")) errors.push(invalid(`${path}.jsonPath`, jsonPath, "must be a simple json path starting with ."));
  else if (jsonPath.length > MAX_JSON_PATH_LENGTH) errors.push(invalid(`${path}.jsonPath`, jsonPath, `must be no more than ${MAX_JSON_PATH_LENGTH} characters`));
  if (column.priority !== undefined && (!Number.isInteger(column.priority) || (column.priority as number) < 0)) errors.push(invalid(`${path}.priority`, column.priority, "must be greater than or equal to 0"));
  return errors;
}
