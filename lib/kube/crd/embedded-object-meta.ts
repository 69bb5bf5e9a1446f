// An x-kubernetes-embedded-resource value (a Deployment's pod template, a Prometheus' extra
// objects) must look like an object kube could store: apiVersion and kind set and well formed,
// and its metadata valid as ObjectMeta (names as path segments, labels, annotations), as
// apiextensions-apiserver's objectmeta validation requires.
import { isRecord } from "@/lib/kube/crd/compiled-schema";
import { childPath, invalid, keyPath, required, type FieldError } from "@/lib/kube/crd/field-errors";
import { dns1123LabelErrors, dns1035LabelErrors, labelValueErrors, pathSegmentNameErrors, qualifiedNameErrors } from "@/lib/kube/crd/kube-names";

/** kube's bound on one object's annotations, keys and values together. */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

function typeMetaErrors(object: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ["apiVersion", "kind"]) {
    const value = object[key];
    const at = childPath(path, key);
    if (value === undefined) errors.push(required(at, "must not be empty"));
    else if (typeof value !== "string") errors.push(invalid(at, value, "must be a string"));
    else if (value.length === 0) errors.push(invalid(at, value, "must not be empty"));
    else if (key === "apiVersion" && value.split("/").length > 2) errors.push(invalid(at, value, `unexpected GroupVersion string: ${value}`));
    else if (key === "kind") {
      const problems = dns1035LabelErrors(value.toLowerCase());
      if (problems.length > 0) errors.push(invalid(at, value, `may have mixed case, but should otherwise match: ${problems.join(",")}`));
    }
  }
  return errors;
}

function stringMapErrors(map: unknown, path: string, checkKey: (key: string) => string[], checkValue?: (value: string) => string[]): FieldError[] {
  if (map === undefined || map === null) return [];
  if (!isRecord(map)) return [invalid(path, map, "must be a map of strings")];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(map)) {
    for (const problem of checkKey(key)) errors.push(invalid(path, key, problem));
    if (typeof value !== "string") errors.push(invalid(keyPath(path, key), value, "must be a string"));
    else for (const problem of checkValue?.(value) ?? []) errors.push(invalid(keyPath(path, key), value, problem));
  }
  return errors;
}

function objectMetaErrors(metadata: unknown, path: string): FieldError[] {
  if (!isRecord(metadata)) return [invalid(path, metadata, "must be an object")];
  const errors: FieldError[] = [];
  for (const [key, prefix] of [["name", false], ["generateName", true]] as const) {
    const value = metadata[key];
    if (value === undefined) continue;
    if (typeof value !== "string") errors.push(invalid(childPath(path, key), value, "must be a string"));
    else for (const problem of pathSegmentNameErrors(value, prefix)) errors.push(invalid(childPath(path, key), value, problem));
  }
  const namespace = metadata.namespace;
  if (typeof namespace === "string" && namespace) for (const problem of dns1123LabelErrors(namespace)) errors.push(invalid(childPath(path, "namespace"), namespace, problem));
  else if (namespace !== undefined && typeof namespace !== "string") errors.push(invalid(childPath(path, "namespace"), namespace, "must be a string"));
  errors.push(...stringMapErrors(metadata.labels, childPath(path, "labels"), qualifiedNameErrors, labelValueErrors));
  const annotations = metadata.annotations;
  errors.push(...stringMapErrors(annotations, childPath(path, "annotations"), (key) => qualifiedNameErrors(key.toLowerCase())));
  if (isRecord(annotations)) {
    const bytes = Object.entries(annotations).reduce((total, [key, value]) => total + key.length + (typeof value === "string" ? value.length : 0), 0);
    if (bytes > MAX_ANNOTATIONS_BYTES) errors.push({ field: childPath(path, "annotations"), type: "Too long", detail: `must have at most ${MAX_ANNOTATIONS_BYTES} bytes` });
  }
  return errors;
}

/** What makes `object`, an embedded resource at `path`, unlike an object kube could store. */
export function embeddedObjectMetaErrors(object: Record<string, unknown>, path: string): FieldError[] {
  const errors = typeMetaErrors(object, path);
  if (object.metadata !== undefined) errors.push(...objectMetaErrors(object.metadata, childPath(path, "metadata")));
  return errors;
}
