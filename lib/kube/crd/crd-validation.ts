// Validation of an apiextensions.k8s.io/v1 CustomResourceDefinition as kube-apiserver does it,
// with its messages: the name is <plural>.<group>, the names are DNS labels, the scope and the
// versions are well formed with exactly one storage version, each version's schema is
// structural (structural-rules.ts), printer columns and the scale subresource point somewhere
// sensible, and the conversion strategy is None: Skylight does not call conversion webhooks. On
// update the scope cannot change, and neither can the group or plural (they make up the name).
import { isRecord } from "@/lib/kube/crd/compiled-schema";
import { duplicate, forbidden, indexPath, invalid, required, tooMany, unsupported, type FieldError } from "@/lib/kube/crd/field-errors";
import { dns1035LabelErrors, dns1123SubdomainErrors } from "@/lib/kube/crd/kube-names";
import { printerColumnErrors, simpleJsonPathErrors } from "@/lib/kube/crd/printer-column-rules";
import { schemaAtFieldPath, structuralSchemaErrors } from "@/lib/kube/crd/structural-rules";

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
  for (const key of ["plural", "singular", "kind", "listKind"]) if (!text(names[key])) errors.push(required(`${path}.${key}`));
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
  const check = (key: string, prefixes: string[], where: string, must: boolean) => {
    const value = text(paths[key]);
    const at = `${path}.${key}`;
    if (!value) {
      if (must) errors.push(required(at));
      return;
    }
    const problems = simpleJsonPathErrors(value, at);
    if (problems.length > 0) errors.push(...problems);
    else if (!prefixes.some((prefix) => value.startsWith(`${prefix}.`))) errors.push(invalid(at, value, `should be a json path under ${where}`));
  };
  check("specReplicasPath", [".spec"], ".spec", true);
  check("statusReplicasPath", [".status"], ".status", true);
  check("labelSelectorPath", [".spec", ".status"], "either .spec or .status", false);
  return errors;
}

/** What the root of a schema may say when the status subresource is on (kube's allowedFieldsAtRootSchema), so status can be validated apart. */
const ROOT_FIELDS_WITH_STATUS: Record<string, string> = {
  description: "Description", type: "Type", format: "Format", title: "Title", maximum: "Maximum", exclusiveMaximum: "ExclusiveMaximum", minimum: "Minimum",
  exclusiveMinimum: "ExclusiveMinimum", maxLength: "MaxLength", minLength: "MinLength", pattern: "Pattern", maxItems: "MaxItems", minItems: "MinItems",
  uniqueItems: "UniqueItems", multipleOf: "MultipleOf", required: "Required", items: "Items", properties: "Properties", externalDocs: "ExternalDocs",
  example: "Example", "x-kubernetes-preserve-unknown-fields": "XPreserveUnknownFields", "x-kubernetes-validations": "XValidations",
};

function statusRootErrors(schema: unknown, path: string): FieldError[] {
  if (!isRecord(schema)) return [];
  if (schema.type !== undefined && schema.type !== "object") return [invalid(`${path}.type`, schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled')];
  if (Object.keys(schema).every((key) => Object.hasOwn(ROOT_FIELDS_WITH_STATUS, key))) return [];
  return [{ field: path, type: "Invalid value", detail: `only [${Object.values(ROOT_FIELDS_WITH_STATUS).join(" ")}] fields are allowed at the root of the schema if the status subresource is enabled` }];
}

/** kube's rules for a version's deprecationWarning: only on a deprecated version, one printable line of at most 256 characters. */
function deprecationWarningErrors(version: Record<string, unknown>, path: string): FieldError[] {
  const warning = version.deprecationWarning;
  if (warning === undefined || warning === null) return [];
  const at = `${path}.deprecationWarning`;
  if (version.deprecated !== true) return [invalid(at, warning, "can only be set for deprecated versions")];
  if (typeof warning !== "string") return [invalid(at, warning, "must be a string")];
  const problems: string[] = [];
  if (warning.length > 256) problems.push("must be <= 256 characters long");
  if (warning.length === 0) problems.push("must not be an empty string");
  const control = [...warning].findIndex((character) => /\p{Cc}/u.test(character));
  if (control >= 0) problems.push(`must only contain printable UTF-8 characters; control character found at index ${control}`);
  return problems.map((problem) => invalid(at, warning, problem));
}

/** kube's bound on a version's selectableFields. */
export const MAX_SELECTABLE_FIELDS = 8;

/** Each selectable field names a string, boolean or integer field of the schema outside metadata, once. */
function selectableFieldsErrors(fields: unknown, schema: unknown, path: string): FieldError[] {
  if (fields === undefined) return [];
  if (!Array.isArray(fields)) return [invalid(path, fields, "must be a list")];
  if (!isRecord(schema)) return [invalid(path, "", "selectableFields may only be set when version.schema.openAPIV3Schema is not included")];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const at = `${indexPath(path, index)}.jsonPath`;
    const jsonPath = record(field).jsonPath;
    if (typeof jsonPath !== "string" || !jsonPath) return errors.push(required(at));
    const target = schemaAtFieldPath(schema, jsonPath);
    if (!target) return errors.push(invalid(at, jsonPath, "is an invalid path: does not refer to a valid field"));
    if (/^(\.metadata\b|\['metadata'\])/.test(jsonPath)) errors.push(invalid(at, jsonPath, "must not point to fields in metadata"));
    if (!["string", "boolean", "integer"].includes(target.type as string)) errors.push(invalid(at, jsonPath, "must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed."));
    if (seen.has(jsonPath)) errors.push(duplicate(at, jsonPath));
    seen.add(jsonPath);
  });
  if (seen.size > MAX_SELECTABLE_FIELDS) errors.push(tooMany(path, seen.size, MAX_SELECTABLE_FIELDS));
  return errors;
}

function versionErrors(version: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = deprecationWarningErrors(version, path);
  const name = version.name;
  if (!text(name)) errors.push(required(`${path}.name`));
  else errors.push(...labelErrors(`${path}.name`, name));
  for (const key of ["served", "storage"]) if (typeof version[key] !== "boolean") errors.push(required(`${path}.${key}`));
  const schema = record(version.schema).openAPIV3Schema;
  const subresources = record(version.subresources);
  if (schema === undefined) errors.push(required(`${path}.schema.openAPIV3Schema`, "schemas are required"));
  else {
    if (isRecord(subresources.status)) errors.push(...statusRootErrors(schema, `${path}.schema.openAPIV3Schema`));
    errors.push(...structuralSchemaErrors(schema, `${path}.schema.openAPIV3Schema`));
  }
  const columns = version.additionalPrinterColumns;
  if (columns !== undefined) {
    if (!Array.isArray(columns)) errors.push(invalid(`${path}.additionalPrinterColumns`, columns, "must be a list"));
    else columns.forEach((column, index) => errors.push(...printerColumnErrors(column, indexPath(`${path}.additionalPrinterColumns`, index))));
  }
  errors.push(...selectableFieldsErrors(version.selectableFields, schema, `${path}.selectableFields`));
  errors.push(...scaleErrors(subresources.scale, `${path}.subresources.scale`));
  if (subresources.status !== undefined && !isRecord(subresources.status)) errors.push(invalid(`${path}.subresources.status`, subresources.status, "must be an object"));
  return errors;
}

function versionsErrors(versions: unknown, path: string): FieldError[] {
  if (!Array.isArray(versions) || versions.length === 0) return [invalid(path, versions ?? null, "must have exactly one version marked as storage version"), required(path, "must have at least one version")];
  if (versions.length > MAX_VERSIONS) return [tooMany(path, versions.length, MAX_VERSIONS)];
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
  for (const key of ["kind", "plural"]) {
    const value = record(spec.names)[key];
    if (value !== record(oldSpec.names)[key]) errors.push(invalid(`spec.names.${key}`, value, "field is immutable"));
  }
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
