// A custom resource's additionalPrinterColumns as kube-apiserver fills a Table row: each column's
// JSONPath (kube's subset: `.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`)
// evaluated on the object with jsonpath-plus's safe evaluator, the first match typed as the
// column says, and nothing found (or the wrong type) an empty cell (null: kubectl prints <none>).
import { JSONPath } from "jsonpath-plus";
import { humanDuration } from "@/lib/kube/table-output";

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  jsonPath: string;
  priority?: number;
}

/** kube's JSONPath (relative, `.a.b`) in jsonpath-plus's spelling (`$.a.b`). */
const absolute = (jsonPath: string) => `$${jsonPath.startsWith(".") || jsonPath.startsWith("[") ? "" : "."}${jsonPath}`;

function firstMatch(jsonPath: string, object: unknown): unknown {
  try {
    const found: unknown = JSONPath({ path: absolute(jsonPath), json: object as object, wrap: true, eval: "safe" });
    return Array.isArray(found) ? found[0] : undefined;
  } catch {
    return undefined;
  }
}

/** A value as kube's template printer prints it into a string column. */
function printed(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function cell(type: string, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "string":
      return printed(value);
    case "date": {
      if (typeof value !== "string") return null;
      const time = Date.parse(value);
      if (Number.isNaN(time)) return "<invalid>";
      // kube tolerates a clock up to a second ahead and calls anything later invalid.
      return now - time < -1_999 ? "<invalid>" : humanDuration(now - time);
    }
    default:
      return null;
  }
}

/** The cells kube's Table shows for `object` under `columns`; `now` dates the date columns' ages. */
export function printerCells(columns: PrinterColumn[], object: unknown, now = Date.now()): unknown[] {
  return columns.map((column) => cell(column.type, firstMatch(column.jsonPath, object), now));
}
