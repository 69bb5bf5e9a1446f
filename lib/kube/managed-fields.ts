// metadata.managedFields: which field manager owns which fields, in kube-apiserver's shape (one
// entry per manager and operation with apiVersion, time and a FieldsV1 tree), read from the
// entries server-side apply and the API's other writes recorded (lib/kube/field-owners.ts).
// Fields changed through the console belong to no listed manager.
import type { Db } from "@/lib/db/pool";
import { sameJson } from "@/lib/engine/same-json";
import { groupVersionOf, type ApiResource } from "@/lib/kube/api-resources";
import { fieldsOf, readFieldOwners, type FieldOperation, type FlatConfiguration } from "@/lib/kube/field-owners";
import type { KubeObject } from "@/lib/kube/kube-objects";

type FieldsV1 = { [key: string]: FieldsV1 };

export interface ManagedFieldsEntry {
  manager: string;
  operation: FieldOperation;
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
}

function sorted(tree: FieldsV1): FieldsV1 {
  const keys = Object.keys(tree).sort((a, b) => (a === "." ? -1 : b === "." ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((key) => [key, sorted(tree[key]!)]));
}

/** f:spec → f:volumes → k:{"name":"data"} → f:name; "." marks a map, struct or list item that is itself owned. */
export function fieldsV1(configuration: FlatConfiguration): FieldsV1 {
  const root: FieldsV1 = {};
  for (const key of Object.keys(configuration)) {
    const path = JSON.parse(key) as string[];
    let node = root;
    path.forEach((segment, index) => {
      node = node[segment.startsWith("k:") ? segment : `f:${segment}`] ??= {};
      const item = segment.startsWith("k:");
      // A list's own node has no "." (only its items do), as kube-apiserver writes it.
      if (index > 0 && !path[index + 1]?.startsWith("k:") && (index < path.length - 1 || item)) node["."] ??= {};
    });
  }
  return sorted(root);
}

const timestamp = (time: Date) => time.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The objects with their managedFields, read for the whole page in one query. */
export async function withManagedFields<T extends KubeObject>(db: Db, resource: ApiResource, objects: T[]): Promise<T[]> {
  const owners = await readFieldOwners(db, objects.map((object) => object.metadata.uid).filter(Boolean));
  return objects.map((object) => {
    const entries = owners.get(object.metadata.uid);
    if (!entries) return object;
    const live = fieldsOf(resource.kind, object);
    const managedFields = entries
      .map((owner): ManagedFieldsEntry => ({
        manager: owner.manager,
        operation: owner.operation,
        apiVersion: groupVersionOf(resource),
        time: timestamp(owner.time),
        fieldsType: "FieldsV1",
        // A field the console changed or removed since is no longer the manager's: the console holds it, unlisted.
        fieldsV1: fieldsV1(Object.fromEntries(Object.entries(owner.fields).filter(([key, value]) => Object.hasOwn(live, key) && sameJson(value, live[key])))),
      }))
      .filter((entry) => Object.keys(entry.fieldsV1).length > 0 || entry.operation === "Apply");
    return managedFields.length > 0 ? { ...object, metadata: { ...object.metadata, managedFields } } : object;
  });
}
