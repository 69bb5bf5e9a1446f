// metadata.managedFields written by a client, taken as the object's new field ownership as
// kube-apiserver takes them. kubectl relies on it when `kubectl apply --server-side` follows a
// client-side apply: its JSON patch replaces the managedFields with kubectl-client-side-apply's
// fields moved into kubectl's Apply entry (kubectl's csaupgrade), and a refusal prints "server
// rejected managed fields migration". Each entry becomes a field-owners entry
// (lib/kube/field-owners.ts) owning the live fields its FieldsV1 tree names.
import type pg from "pg";
import { sameJson } from "@/lib/engine/same-json";
import type { ApiResource } from "@/lib/kube/api-resources";
import { invalid, type StatusCause } from "@/lib/kube/api-status";
import { fieldsOf, isItem, replaceFieldOwners, type FieldOperation, type FieldOwner } from "@/lib/kube/field-owners";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { resourceRef } from "@/lib/kube/kube-reads";

type FieldsTree = { [key: string]: FieldsTree };

export interface ClientManagedFieldsEntry {
  manager: string;
  operation: FieldOperation;
  time: Date;
  fieldsV1: FieldsTree;
}

const OPERATIONS: readonly string[] = ["Apply", "Update"];

/** Entries one write may give: kube-apiserver keeps at most ten Update entries, and each entry costs a pass over the object's fields. */
export const MAX_MANAGED_FIELDS_ENTRIES = 64;

/**
 * The entries a write's object gives in metadata.managedFields when they differ from what the object
 * had (`before`), or null when it gives none or the same; 422 naming the entry when one is not
 * kube's shape (an operation other than Apply or Update, a fieldsType other than FieldsV1, a
 * manager and operation given twice). The schema check (lib/kube/field-validation.ts) has typed them.
 */
export function clientManagedFields(resource: ApiResource, next: { metadata?: object }, before: KubeObject): ClientManagedFieldsEntry[] | null {
  const given = (next.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  if (!Array.isArray(given) || sameJson(given, (before.metadata as { managedFields?: unknown }).managedFields)) return null;
  if (given.length > MAX_MANAGED_FIELDS_ENTRIES) {
    throw invalid(resourceRef(resource, before.metadata.name), [{ field: "metadata.managedFields", message: `Too many: ${given.length}: must have at most ${MAX_MANAGED_FIELDS_ENTRIES} items`, reason: "FieldValueTooMany" }]);
  }
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  const entries = given.map((entry: { manager?: string; operation?: string; time?: string; fieldsType?: string; fieldsV1?: FieldsTree }, index): ClientManagedFieldsEntry => {
    const field = `metadata.managedFields[${index}]`;
    if (!OPERATIONS.includes(entry.operation ?? "")) causes.push({ field: `${field}.operation`, message: `Unsupported value: ${JSON.stringify(entry.operation ?? "")}: supported values: "Apply", "Update"`, reason: "FieldValueNotSupported" });
    if (entry.fieldsType !== undefined && entry.fieldsType !== "FieldsV1") causes.push({ field: `${field}.fieldsType`, message: `Unsupported value: ${JSON.stringify(entry.fieldsType)}: supported values: "FieldsV1"`, reason: "FieldValueNotSupported" });
    const key = JSON.stringify([entry.manager ?? "", entry.operation]);
    if (seen.has(key)) causes.push({ field, message: `Duplicate value: manager ${JSON.stringify(entry.manager ?? "")} with operation ${JSON.stringify(entry.operation)} is given twice`, reason: "FieldValueDuplicate" });
    seen.add(key);
    const time = new Date(entry.time ?? "");
    return { manager: entry.manager ?? "", operation: entry.operation as FieldOperation, time: Number.isNaN(time.getTime()) ? new Date() : time, fieldsV1: entry.fieldsV1 ?? {} };
  });
  if (causes.length > 0) throw invalid(resourceRef(resource, before.metadata.name), causes);
  return entries;
}

/** Whether the FieldsV1 tree names the field at `path` (segments as lib/kube/field-owners.ts flattens them). */
function names(tree: FieldsTree, path: string[]): boolean {
  let node: FieldsTree | undefined = tree;
  for (const segment of path) {
    const key = isItem(segment) ? segment : `f:${segment}`;
    const child: unknown = Object.hasOwn(node, key) ? node[key] : undefined;
    if (!child || typeof child !== "object") return false;
    node = child as FieldsTree;
  }
  return true;
}

/** Replaces the object's field owners with the entries, each owning the fields of `live` its tree names. */
export async function writeClientManagedFields(pool: pg.Pool, kind: string, live: KubeObject, entries: ClientManagedFieldsEntry[]): Promise<void> {
  const fields = Object.entries(fieldsOf(kind, live)).map(([key, value]) => ({ key, value, path: JSON.parse(key) as string[] }));
  const owners: FieldOwner[] = entries.map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    time: entry.time,
    fields: Object.fromEntries(fields.filter((field) => names(entry.fieldsV1, field.path)).map((field) => [field.key, field.value])),
  }));
  await replaceFieldOwners(pool, live.metadata.uid, owners);
}
