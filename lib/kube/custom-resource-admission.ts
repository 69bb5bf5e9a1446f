// A custom resource held to its definition's schema on every write, as kube-apiserver holds it:
// fields the schema does not declare are pruned (and refused, warned about or dropped silently
// as the request's fieldValidation asks, lib/kube/field-validation.ts), defaults fill what is
// missing, and what breaks the schema (types, formats, bounds, CEL rules, against the stored
// object for transition rules) is refused with 422 in kube's words. Defaults apply on every read
// too. The schema modules (lib/kube/crd/) do the work; each version's schema is compiled once per
// definition resourceVersion.
import type { ApiResource } from "@/lib/kube/api-resources";
import { invalid } from "@/lib/kube/api-status";
import { statusCauses } from "@/lib/kube/crd/field-errors";
import { compileSchema, defaultCustomResource, pruneCustomResource, validateCustomResource, type CompiledSchema } from "@/lib/kube/crd/structural-schema";
import { reportUnknownFields, type UnknownFieldOptions } from "@/lib/kube/field-validation";
import { resourceRef } from "@/lib/kube/kube-reads";

type CustomObject = Record<string, unknown>;

const compiled = new Map<string, { definitionVersion: string; schema: CompiledSchema }>();

/** The served version's schema, compiled when its definition last changed. */
function compiledSchemaOf(resource: ApiResource): CompiledSchema {
  const custom = resource.custom!;
  const key = `${resource.group}/${resource.version}/${resource.plural}`;
  const entry = compiled.get(key);
  if (entry?.definitionVersion === custom.definition.resourceVersion) return entry.schema;
  const schema = compileSchema(custom.schema);
  compiled.set(key, { definitionVersion: custom.definition.resourceVersion, schema });
  return schema;
}

/** `object` without the fields the schema does not declare, and the warnings `options.mode` asks for (a 400 when Strict or applying). */
export function pruneUnknownFields<T>(resource: ApiResource, object: T, options: UnknownFieldOptions): { object: T; warnings: string[] } {
  const pruned = structuredClone(object) as CustomObject;
  const paths = pruneCustomResource(compiledSchemaOf(resource), pruned);
  return { object: pruned as T, warnings: reportUnknownFields(resource, paths, options) };
}

/** `object` defaulted and validated (against `old`, the stored object, on an update); 422 naming every broken rule. */
export function admitCustomResource<T>(resource: ApiResource, name: string, object: T, old?: CustomObject): T {
  const schema = compiledSchemaOf(resource);
  const admitted = structuredClone(object) as CustomObject;
  defaultCustomResource(schema, admitted);
  const errors = validateCustomResource(schema, admitted, old);
  if (errors.length > 0) throw invalid(resourceRef(resource, name), statusCauses(errors));
  return admitted as T;
}

/** A stored object with the schema's defaults filled in, as every read serves it. */
export function withDefaults<T>(resource: ApiResource, object: T): T {
  const defaulted = structuredClone(object) as CustomObject;
  defaultCustomResource(compiledSchemaOf(resource), defaulted);
  return defaulted as T;
}
