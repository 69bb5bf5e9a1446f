// Validation of an apiextensions.k8s.io/v1 CustomResourceDefinition as kube-apiserver does it,
// with its messages: the name is <plural>.<group>, the names are DNS labels, the scope and the
// versions are well formed with exactly one storage version, each version's schema is
// structural (structural-rules.ts), printer columns and the scale subresource point somewhere
// sensible, and the conversion strategy is None: Skylight does not call conversion webhooks. On
// update the scope cannot change, and neither can the group or plural (they make up the name).
import { isRecord } from "@/lib/kube/crd/compiled-schema";
import { forbidden, indexPath, invalid, required, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";
import { dns1035LabelErrors, dns1123SubdomainErrors } from "@/lib/kube/crd/kube-names";
import { printerColumnErrors } from "@/lib/kube/crd/printer-column-rules";
import { structuralSchemaErrors } from "@/lib/kube/crd/structural-rules";

/** Versions one CRD may declare (kube has no bound; each version's schema is walked). */
export const MAX_VERSIONS = 64;

const record = (value: unknown) => (isRecord(value) ? value : {});
const text = (value: unknown) => (typeof value === "string" ? value : "");

function labelErrors(field: string, value: unknown, mixedCase = false): FieldError[] {
  if (typeof value !== "string") return value === undefined ? [] : [invalid(field, value, "must be a string")];
  if (!value) return [];
  const problems = dns1035LabelErrors(mixedCase ? value.toLowerCase() : value);
  if (problems.length === 0) return [];
  return [invalid(field, value, mixedCase ? `may have mixed case, but should otherwise match: ${problems.join(",")}` : problems.join(","))];
}

function namesErrors(names: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!text(names.plural)) errors.push(required(`${path}.plural`));
  if (!text(names.kind)) errors.push(required(`${path}.kind`));
  errors.push(...labelErrors(`${path}.plural`, names.plural), ...labelErrors(`${path}.singular`, names.singular));
  errors.push(...labelErrors(`${path}.kind`, names.kind, true), ...labelErrors(`${path}.listKind`, names.listKind, true));
  if (text(names.kind) && names.kind === names.listKind) errors.push(invalid(`${path}.listKind`, names.listKind, "kind and listKind may not be the same"));
  for (const key of ["shortNames", "categories"]) {
    const list = names[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) errors.push(invalid(`${path}.${key}`, list, "must be a list of strings"));
    else list.forEach((item, index) => errors.push(...labelErrors(indexPath(`${path}.${key}`, index), item)));
  }
  return errors;
}

function scaleErrors(scale: unknown, path: string): FieldError[] {
  if (scale === undefined || scale === null) return [];
  const paths = record(scale);
  const errors: FieldError[] = [];
  const check = (key: string, prefixes: string[], must: boolean) => {
    const value = paths[key];
    if (value === undefined || value === "") {
      if (must) errors.push(required(`${path}.${key}`));
      return;
    }
    const at = `${path}.${key}`;
    if (typeof value !== "string" || !/^(\.[a-zA-Z_][a-zA-Z0-9_-]*)+$/.test(value)) errors.push(invalid(at, value, "must be a simple json path starting with ."));
    else if (!prefixes.some((prefix) => value.startsWith(`${prefix}.`))) errors.push(invalid(at, value, `should be a json path under ${prefixes.join(" or ")}`));
  };
  check("specReplicasPath", [".spec"], true);
  check("statusReplicasPath", [".status"], true);
  check("labelSelectorPath", [".spec", ".status"], false);
  return errors;
}

function versionErrors(version: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = version.name;
  if (!text(name)) errors.push(required(`${path}.name`));
  else errors.push(...labelErrors(`${path}.name`, name));
  for (const key of ["served", "storage"]) if (typeof version[key] !== "boolean") errors.push(required(`${path}.${key}`));
  const schema = record(version.schema).openAPIV3Schema;
  if (schema === undefined) errors.push(required(`${path}.schema.openAPIV3Schema`, "schemas are required"));
  else errors.push(...structuralSchemaErrors(schema, `${path}.schema.openAPIV3Schema`));
  const columns = version.additionalPrinterColumns;
  if (columns !== undefined) {
    if (!Array.isArray(columns)) errors.push(invalid(`${path}.additionalPrinterColumns`, columns, "must be a list"));
    else columns.forEach((column, index) => errors.push(...printerColumnErrors(column, indexPath(`${path}.additionalPrinterColumns`, index))));
  }
  const subresources = record(version.subresources);
  errors.push(...scaleErrors(subresources.scale, `${path}.subresources.scale`));
  if (subresources.status !== undefined && !isRecord(subresources.status)) errors.push(invalid(`${path}.subresources.status`, subresources.status, "must be an object"));
  return errors;
}

function versionsErrors(versions: unknown, path: string): FieldError[] {
  if (!Array.isArray(versions) || versions.length === 0) return [invalid(path, versions ?? null, "must have exactly one version marked as storage version"), required(path, "must have at least one version")];
  if (versions.length > MAX_VERSIONS) return [tooManyVersions(path, versions.length)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  versions.forEach((version, index) => {
    const name = text(record(version).name);
    if (name && names.has(name)) errors.push(invalid(path, name, "must contain unique version names"));
    names.add(name);
    errors.push(...versionErrors(record(version), indexPath(path, index)));
  });
  const storage = versions.filter((version) => record(version).storage === true).length;
  if (storage !== 1) errors.push(invalid(path, storage, "must have exactly one version marked as storage version"));
  if (!versions.some((version) => record(version).served === true)) errors.push(invalid(path, 0, "must have at least one served version"));
  return errors;
}

const tooManyVersions = (path: string, count: number): FieldError => ({ field: path, type: "Too many", detail: `must have at most ${MAX_VERSIONS} items`, value: count });

function conversionErrors(conversion: unknown, path: string): FieldError[] {
  if (conversion === undefined || conversion === null) return [];
  const strategy = record(conversion).strategy;
  if (strategy === undefined || strategy === "None") return [];
  if (strategy === "Webhook") return [{ field: `${path}.strategy`, type: "Unsupported value", value: strategy, detail: 'supported values: "None" (Skylight does not call conversion webhooks: every served version is stored and read as it is, with only its apiVersion changed)' }];
  return [unsupported(`${path}.strategy`, strategy, ["None", "Webhook"])];
}

function updateErrors(spec: Record<string, unknown>, old: Record<string, unknown>): FieldError[] {
  const oldSpec = record(old.spec);
  const errors: FieldError[] = [];
  if (spec.scope !== oldSpec.scope) errors.push(invalid("spec.scope", spec.scope, "field is immutable"));
  if (spec.group !== oldSpec.group) errors.push(invalid("spec.group", spec.group, "field is immutable"));
  if (record(spec.names).plural !== record(oldSpec.names).plural) errors.push(invalid("spec.names.plural", record(spec.names).plural, "field is immutable"));
  return errors;
}

/** Every way `crd` is not a CustomResourceDefinition kube-apiserver would store; with `oldCrd`, as an update of it. */
export function validateCustomResourceDefinition(crd: unknown, oldCrd?: unknown): FieldError[] {
  const object = record(crd);
  const spec = record(object.spec);
  const names = record(spec.names);
  const errors: FieldError[] = [];
  const group = text(spec.group);
  const name = text(record(object.metadata).name);
  if (!group) errors.push(required("spec.group"));
  else {
    errors.push(...dns1123SubdomainErrors(group).map((problem) => invalid("spec.group", group, problem)));
    if (!group.includes(".")) errors.push(invalid("spec.group", group, "should be a domain with at least one dot"));
  }
  if (name !== `${text(names.plural)}.${group}`) errors.push(invalid("metadata.name", name, 'must be spec.names.plural+"."+spec.group'));
  errors.push(...namesErrors(names, "spec.names"));
  if (!spec.scope) errors.push(required("spec.scope"));
  else if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") errors.push(unsupported("spec.scope", spec.scope, ["Cluster", "Namespaced"]));
  if (spec.preserveUnknownFields === true) errors.push(invalid("spec.preserveUnknownFields", true, "must be false in order to use defaults in the schema"));
  if (spec.validation !== undefined || spec.version !== undefined) errors.push(forbidden(spec.validation !== undefined ? "spec.validation" : "spec.version", "is not part of apiextensions.k8s.io/v1: use spec.versions[*]"));
  errors.push(...versionsErrors(spec.versions, "spec.versions"), ...conversionErrors(spec.conversion, "spec.conversion"));
  if (oldCrd !== undefined) errors.push(...updateErrors(spec, record(oldCrd)));
  return errors;
}
