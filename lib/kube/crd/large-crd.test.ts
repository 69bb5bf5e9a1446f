// A CRD of the size and shape of prometheus-operator's prometheuses.monitoring.coreos.com
// (testdata/metricsservers.yaml, 12,000+ lines, written by scripts/generate-crd-testdata.ts) and a
// realistic object of it: the whole path a write takes stays well under a second, and the
// features such CRDs lean on (list-type=map, embedded resources, preserve-unknown-fields at
// several depths, CEL and transition rules, defaults, printer columns) behave as kube's do.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateCustomResourceDefinition } from "@/lib/kube/crd/crd-validation";
import { formatFieldError } from "@/lib/kube/crd/field-errors";
import { printerCells, type PrinterColumn } from "@/lib/kube/crd/printer-columns";
import { compileSchema, defaultCustomResource, pruneCustomResource, validateCustomResource, type CompiledSchema } from "@/lib/kube/crd/structural-schema";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests reach deep into plain JSON

const testdata = (file: string) => readFileSync(path.join(import.meta.dirname, "testdata", file), "utf8");
const crdText = testdata("metricsservers.yaml");
const objectText = testdata("metricsserver.yaml");
const freshObject = (): Json => parse(objectText);

let crd: Json;
let schema: CompiledSchema;

beforeAll(() => {
  crd = parse(crdText);
  // As a server that has served a request before: the timing below is of the work, not of the JIT's first pass.
  validateCustomResourceDefinition(crd);
  schema = compileSchema(crd.spec.versions[0].schema.openAPIV3Schema);
});

/** An object through a write's steps, as the serving side runs them: default, prune, validate. */
function write(object: Json, old?: Json) {
  defaultCustomResource(schema, object);
  const pruned = pruneCustomResource(schema, object);
  return { pruned, errors: validateCustomResource(schema, object, old).map(formatFieldError) };
}

describe("a prometheus-sized CRD", () => {
  it("is thousands of lines with several versions", () => {
    expect(crdText.split("\n").length).toBeGreaterThan(10_000);
    expect(crd.spec.versions.map((version: Json) => version.name)).toEqual(["v1", "v1beta1", "v1alpha1"]);
  });

  it("validates, compiles and takes a realistic object through default, prune and validate in well under a second", () => {
    const fresh = parse(crdText);
    const start = performance.now();
    const errors = validateCustomResourceDefinition(fresh);
    const compiled = compileSchema(fresh.spec.versions[0].schema.openAPIV3Schema);
    const object = freshObject();
    defaultCustomResource(compiled, object);
    const pruned = pruneCustomResource(compiled, object);
    const objectErrors = validateCustomResource(compiled, object);
    const ms = performance.now() - start;
    expect({ errors, pruned, objectErrors }).toEqual({ errors: [], pruned: [], objectErrors: [] });
    expect(ms).toBeLessThan(1_000);
  });

  it("defaults deep inside list-type=map items and at the top", () => {
    const object = freshObject();
    expect(write(object).errors).toEqual([]);
    expect(object.spec.containers[0].ports).toEqual([{ containerPort: 9090, name: "web", protocol: "TCP" }, { containerPort: 9091, name: "reloader", protocol: "TCP" }]);
    expect(object.spec.evaluationInterval).toBe("30s");
    expect(object.spec.retention).toBe("15d");
  });

  it("prunes unknown fields at every depth but keeps what preserve-unknown-fields and embedded resources keep", () => {
    const object = freshObject();
    object.spec.bogus = 1;
    object.spec.containers[0].securityContext.capabilities.sneaky = ["NET_ADMIN"];
    object.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.extra = true;
    object.spec.storage.volumeClaimTemplate.metadata.finalizers = ["kept.example/as-object-meta"];
    object.spec.storage.volumeClaimTemplate.metadata.bogus = "not ObjectMeta";
    object.status.extensions.newField = { deep: [1, 2] };
    const { pruned, errors } = write(object);
    expect(pruned.sort()).toEqual([
      "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.extra",
      "spec.bogus",
      "spec.containers[0].securityContext.capabilities.sneaky",
      "spec.storage.volumeClaimTemplate.metadata.bogus",
    ]);
    expect(object.spec.storage.volumeClaimTemplate.metadata.finalizers).toEqual(["kept.example/as-object-meta"]);
    expect(errors).toEqual([]);
    expect(object.spec.additionalScrapeConfigs.jobs[0].relabel.deep.deeper.deepest).toBe(true);
    expect(object.spec.additionalObjects[0].data).toEqual({ "rules.yaml": "groups: []" });
    expect(object.status.extensions.newField).toEqual({ deep: [1, 2] });
  });

  it("refuses what a user could get wrong in it, each in kube's words", () => {
    const object = freshObject();
    object.spec.containers[1].name = "server";
    object.spec.containers[0].resources.limits.memory = "lots";
    object.spec.remoteWrite[0].authorization = { type: "Bearer", credentialsFile: "/token" };
    object.spec.additionalObjects.push({ apiVersion: "v1", metadata: { name: "no-kind" } });
    object.spec.topologySpreadConstraints[0].whenUnsatisfiable = "Sometimes";
    object.spec.shards = 65;
    object.status.conditions[0].lastTransitionTime = "yesterday";
    expect(write(object).errors).toEqual([
      'spec.containers[1]: Duplicate value: map[string]interface {}{"name":"server"}',
      'spec.containers[0].resources.limits.memory: Invalid value: "lots": spec.containers[0].resources.limits.memory in body should match \'^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$\'',
      'spec.additionalObjects[1].kind: Required value: must not be empty',
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'spec.remoteWrite[0]: Invalid value: "object": basicAuth and authorization cannot be set at the same time',
      'spec: Invalid value: "object": at most 64 shards',
      'status.conditions[0].lastTransitionTime: Invalid value: "yesterday": status.conditions[0].lastTransitionTime in body must be of type date-time: "yesterday"',
    ]);
  });

  it("holds the transition rule: storageClassName cannot change once set", () => {
    const old = freshObject();
    const object = freshObject();
    object.spec.storage.volumeClaimTemplate.spec.storageClassName = "slow-hdd";
    expect(write(object, old).errors).toEqual(['spec.storage.volumeClaimTemplate.spec.storageClassName: Invalid value: "string": storageClassName is immutable']);
    expect(write(freshObject(), old).errors).toEqual([]);
  });

  it("fills the printer columns kube's Table would show", () => {
    const columns = crd.spec.versions[0].additionalPrinterColumns as PrinterColumn[];
    expect(printerCells(columns, freshObject(), Date.parse("2026-12-01T08:05:30Z"))).toEqual(["v3.1.0", 2, 2, "True", "True", "5m30s", false]);
  });
});
