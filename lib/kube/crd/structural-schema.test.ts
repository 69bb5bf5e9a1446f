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

describe("validateCustomResource on update: ratcheting", () => {
  it("lets an update keep a value the schema now refuses, but not change it to another refused value", () => {
    const stored = resource({ size: "1", replicas: 50, engine: "mysql" });
    expect(messages(resource({ size: "2", replicas: 50, engine: "mysql" }), stored)).toEqual([]);
    expect(messages(resource({ size: "2", replicas: 60, engine: "mysql" }), stored)).toEqual(["spec.replicas: Invalid value: 60: spec.replicas in body should be less than or equal to 10"]);
  });
});

describe("pruneCustomResource", () => {
  it("drops unknown fields, keeps apiVersion, kind, metadata and preserved fields, and names what it dropped", () => {
    const object: Record<string, unknown> = { ...resource({ size: "1", unknown: 1, extra: { known: 1, free: { deep: true } } }), status: { ready: true, phase: "x" }, top: 1 };
    expect(pruneCustomResource(database, object).sort()).toEqual(["spec.unknown", "status.phase", "top"]);
    expect(object).toEqual({ ...resource({ size: "1", extra: { known: 1, free: { deep: true } } }), status: { ready: true } });
  });
});

describe("pruneCustomResource at depth", () => {
  const nested = compileSchema({
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { typed: { type: "object", properties: { a: { type: "string" } } } } },
          list: { type: "array", items: { type: "object", properties: { keep: { type: "string" } } } },
          map: { type: "object", additionalProperties: { type: "object", properties: { keep: { type: "string" } } } },
          template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object", properties: { keep: { type: "string" } } } } },
        },
      },
    },
  });

  it("prunes inside list items, map values and the declared part of a preserved object, and keeps an embedded resource's type and object meta", () => {
    const object: Record<string, unknown> = {
      spec: {
        free: { anything: { goes: 1 }, typed: { a: "x", b: "pruned" } },
        list: [{ keep: "1", drop: 1 }],
        map: { one: { keep: "1", drop: 1 } },
        template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" }, bogus: 1 }, spec: { keep: "1", drop: 1 }, extra: 1 },
      },
    };
    expect(pruneCustomResource(nested, object).sort()).toEqual(["spec.free.typed.b", "spec.list[0].drop", "spec.map.one.drop", "spec.template.extra", "spec.template.metadata.bogus", "spec.template.spec.drop"]);
    expect(object).toEqual({
      spec: {
        free: { anything: { goes: 1 }, typed: { a: "x" } },
        list: [{ keep: "1" }],
        map: { one: { keep: "1" } },
        template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" } }, spec: { keep: "1" } },
      },
    });
  });
});

describe("defaultCustomResource", () => {
  it("fills a missing field with its default", () => {
    const object = resource({ size: "1" });
    defaultCustomResource(database, object);
    expect(object.spec).toEqual({ size: "1", replicas: 1 });
  });

  const defaults = compileSchema({
    type: "object",
    properties: {
      spec: {
        type: "object",
        default: {},
        properties: {
          tls: { type: "object", default: { enabled: true }, properties: { enabled: { type: "boolean" }, minVersion: { type: "string", default: "TLS12" } } },
          ports: { type: "array", items: { type: "object", properties: { port: { type: "integer" }, protocol: { type: "string", default: "TCP" } } } },
          limits: { type: "object", additionalProperties: { type: "object", properties: { unit: { type: "string", default: "Mi" } } } },
          mode: { type: "string", default: "fast" },
          note: { type: "string" },
          comment: { type: "string", nullable: true },
        },
      },
    },
  });

  it("defaults a missing object, then the defaults inside the default, as kube applies them", () => {
    const object: Record<string, unknown> = {};
    defaultCustomResource(defaults, object);
    expect(object).toEqual({ spec: { tls: { enabled: true, minVersion: "TLS12" }, mode: "fast" } });
  });

  it("defaults inside list items and map values, and never overwrites a value that is there", () => {
    const object: Record<string, unknown> = { spec: { mode: "slow", tls: { enabled: false }, ports: [{ port: 53 }, { port: 80, protocol: "UDP" }], limits: { memory: {} } } };
    defaultCustomResource(defaults, object);
    expect(object).toEqual({ spec: { mode: "slow", tls: { enabled: false, minVersion: "TLS12" }, ports: [{ port: 53, protocol: "TCP" }, { port: 80, protocol: "UDP" }], limits: { memory: { unit: "Mi" } } } });
  });

  it("replaces a null with the default, drops a null the schema does not allow, keeps a nullable null", () => {
    const object: Record<string, unknown> = { spec: { mode: null, note: null, comment: null } };
    defaultCustomResource(defaults, object);
    expect(object).toEqual({ spec: { mode: "fast", comment: null, tls: { enabled: true, minVersion: "TLS12" } } });
  });

  it("gives each object its own copy of a default", () => {
    const first: Record<string, unknown> = {};
    const second: Record<string, unknown> = {};
    defaultCustomResource(defaults, first);
    defaultCustomResource(defaults, second);
    (first.spec as { tls: { enabled: boolean } }).tls.enabled = false;
    expect((second.spec as { tls: { enabled: boolean } }).tls.enabled).toBe(true);
  });
});
