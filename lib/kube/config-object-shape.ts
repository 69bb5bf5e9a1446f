// What a write through the API sends of a ConfigMap's or Secret's state, which kube keeps at the
// top level of the object (lib/vocabulary/config-object-fields.ts says which fields, and lifts them
// on the way out): the fields a create or replace hands to the engine, and a Secret's write-only
// stringData merged into data before server-side apply plans ownership of what is stored.
import type { ConfigObjectInput } from "@/lib/engine/config-object-rules";
import { topLevelStateFields } from "@/lib/vocabulary/config-object-fields";

/** What a client sent of a ConfigMap's or Secret's state (and a Secret's write-only stringData). */
export function configFieldsOf(kind: string, body: Record<string, unknown>): ConfigObjectInput {
  const names = [...topLevelStateFields(kind), ...(kind === "Secret" ? ["stringData"] : [])];
  return Object.fromEntries(names.filter((name) => body[name] !== undefined).map((name) => [name, body[name]]));
}

/** An applied Secret with its stringData merged into data, as a write merges it, so field ownership tracks what is stored. */
export function withStringDataMerged<T extends Record<string, unknown>>(kind: string, body: T): T {
  const stringData = body.stringData;
  if (kind !== "Secret" || !stringData || typeof stringData !== "object") return body;
  const { stringData: _stringData, ...rest } = body;
  const encoded = Object.fromEntries(Object.entries(stringData).map(([key, value]) => [key, typeof value === "string" ? Buffer.from(value, "utf8").toString("base64") : value]));
  return { ...rest, data: { ...((body.data as object | undefined) ?? {}), ...encoded } } as unknown as T;
}
