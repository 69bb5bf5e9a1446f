import { describe, expect, it } from "vitest";
import { formatFieldError } from "@/lib/kube/crd/field-errors";
import { compileSchema, defaultCustomResource, pruneCustomResource, validateCustomResource } from "@/lib/kube/crd/structural-schema";

const database = compileSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
        engine: { type: "string", enum: ["postgres", "mariadb"] },
        size: { type: "string" },
        ratio: { type: "number" },
        enabled: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        settings: { type: "object", additionalProperties: { type: "string" } },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "integer" } } },
      },
    },
    status: { type: "object", properties: { ready: { type: "boolean" } } },
  },
});

const messages = (object: Record<string, unknown>, old?: Record<string, unknown>) => validateCustomResource(database, object, old).map(formatFieldError);
const resource = (spec: Record<string, unknown>) => ({ apiVersion: "db.example.com/v1", kind: "Database", metadata: { name: "main" }, spec });

describe("validateCustomResource: types, required, enum", () => {
  it("accepts an object that fits its schema", () => {
    expect(messages(resource({ size: "1Gi", replicas: 3, engine: "postgres", ratio: 1, enabled: true, tags: ["a"], settings: { a: "b" } }))).toEqual([]);
  });

  it("names a missing required field", () => {
    expect(messages(resource({ replicas: 3 }))).toEqual(["spec.size: Required value"]);
  });

  it("refuses a value outside the enum with the supported values", () => {
    expect(messages(resource({ size: "1", engine: "mysql" }))).toEqual(['spec.engine: Unsupported value: "mysql": supported values: "postgres", "mariadb"']);
  });

  it("refuses a value above the maximum in kube-openapi's words", () => {
    expect(messages(resource({ size: "1", replicas: 20 }))).toEqual(["spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10"]);
  });

  it("tells integer from number, and takes an integer for a number", () => {
    expect(messages(resource({ size: "1", replicas: 1.5 }))).toEqual(['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"']);
    expect(messages(resource({ size: "1", ratio: 2 }))).toEqual([]);
  });

  it("refuses wrong types of every kind at their path", () => {
    expect(messages(resource({ size: 5, enabled: "yes", tags: "a", settings: { a: 1 } }))).toEqual([
      'spec.size: Invalid value: "integer": spec.size in body must be of type string: "integer"',
      'spec.enabled: Invalid value: "string": spec.enabled in body must be of type boolean: "string"',
      'spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string"',
      'spec.settings.a: Invalid value: "integer": spec.settings.a in body must be of type string: "integer"',
    ]);
  });

  it("refuses null where the schema does not say nullable", () => {
    expect(messages(resource({ size: null }))).toEqual(['spec.size: Invalid value: "null": spec.size in body must be of type string: "null"']);
  });

  it("does not hold the root's metadata to the schema", () => {
    expect(messages({ ...resource({ size: "1" }), metadata: { name: "main", labels: { a: "b" }, anything: 1 } })).toEqual([]);
  });
});

describe("pruneCustomResource", () => {
  it("drops unknown fields, keeps apiVersion, kind, metadata and preserved fields, and names what it dropped", () => {
    const object: Record<string, unknown> = { ...resource({ size: "1", unknown: 1, extra: { known: 1, free: { deep: true } } }), status: { ready: true, phase: "x" }, top: 1 };
    expect(pruneCustomResource(database, object).sort()).toEqual(["spec.unknown", "status.phase", "top"]);
    expect(object).toEqual({ ...resource({ size: "1", extra: { known: 1, free: { deep: true } } }), status: { ready: true } });
  });
});

describe("defaultCustomResource", () => {
  it("fills a missing field with its default", () => {
    const object = resource({ size: "1" });
    defaultCustomResource(database, object);
    expect(object.spec).toEqual({ size: "1", replicas: 1 });
  });
});
