// kube-openapi's value checks and kube's list, map, embedded-resource and metadata rules, each
// with the message kube-apiserver gives for it.
import { describe, expect, it } from "vitest";
import { formatFieldError } from "@/lib/kube/crd/field-errors";
import { compileSchema, validateCustomResource } from "@/lib/kube/crd/structural-schema";

const fieldSchema = (field: Record<string, unknown>) => compileSchema({ type: "object", properties: { spec: { type: "object", properties: { field } } } });
const check = (field: Record<string, unknown>, value: unknown) => validateCustomResource(fieldSchema(field), { spec: { field: value } }).map(formatFieldError);

describe("numbers", () => {
  it.each([
    [{ type: "integer", minimum: 1 }, 0, "spec.field: Invalid value: 0: spec.field in body should be greater than or equal to 1"],
    [{ type: "integer", minimum: 1, exclusiveMinimum: true }, 1, "spec.field: Invalid value: 1: spec.field in body should be greater than 1"],
    [{ type: "number", maximum: 1.5, exclusiveMaximum: true }, 1.5, "spec.field: Invalid value: 1.5: spec.field in body should be less than 1.5"],
    [{ type: "integer", multipleOf: 5 }, 12, "spec.field: Invalid value: 12: spec.field in body should be a multiple of 5"],
  ])("%j refuses %j", (schema, value, message) => {
    expect(check(schema, value)).toEqual([message]);
  });

  it("accepts values on an inclusive bound and multiples", () => {
    expect(check({ type: "integer", minimum: 1, maximum: 10, multipleOf: 5 }, 10)).toEqual([]);
    expect(check({ type: "number", multipleOf: 0.1 }, 0.3)).toEqual([]);
  });
});

describe("strings", () => {
  it("counts characters, not bytes or UTF-16 units, for lengths", () => {
    expect(check({ type: "string", maxLength: 3 }, "héé")).toEqual([]);
    expect(check({ type: "string", maxLength: 3 }, "abcd")).toEqual(["spec.field: Too long: may not be more than 3 bytes"]);
    expect(check({ type: "string", minLength: 2 }, "😀")).toEqual(['spec.field: Invalid value: "😀": spec.field in body should be at least 2 chars long']);
  });

  it("matches patterns anywhere in the value, as kube-openapi does", () => {
    expect(check({ type: "string", pattern: "[0-9]" }, "abc1")).toEqual([]);
    expect(check({ type: "string", pattern: "^[a-z]+$" }, "ab-c")).toEqual(["spec.field: Invalid value: \"ab-c\": spec.field in body should match '^[a-z]+$'"]);
  });

  it.each([
    ["date-time", "2026-12-07T01:02:03Z", "2026-13-07T01:02:03Z"],
    ["date", "2026-02-28", "2026-02-30"],
    ["uuid", "0a1b2c3d-4e5f-6789-abcd-ef0123456789", "not-a-uuid"],
    ["ipv4", "10.0.0.1", "10.0.0.256"],
    ["ipv6", "fe80::1", "fe80:::1"],
    ["cidr", "10.0.0.0/8", "10.0.0.0/33"],
    ["hostname", "node-1.example.com", "-bad-.example"],
    ["byte", "aGVsbG8=", "not base64!"],
    ["duration", "1h30m", "soon"],
  ])("checks format %s", (format, good, bad) => {
    expect(check({ type: "string", format }, good)).toEqual([]);
    expect(check({ type: "string", format }, bad)).toEqual([`spec.field: Invalid value: ${JSON.stringify(bad)}: spec.field in body must be of type ${format}: ${JSON.stringify(bad)}`]);
  });

  it("leaves formats kube does not check alone", () => {
    expect(check({ type: "string", format: "int32" }, "anything")).toEqual([]);
  });
});

describe("int-or-string and nullable", () => {
  it("takes an integer or a string for int-or-string, nothing else", () => {
    const schema = { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] };
    expect(check(schema, 8080)).toEqual([]);
    expect(check(schema, "http")).toEqual([]);
    expect(check(schema, 1.5)).toEqual(['spec.field: Invalid value: "number": spec.field in body must be of type integer,string: "number"']);
    expect(check(schema, true)).toEqual(['spec.field: Invalid value: "boolean": spec.field in body must be of type integer,string: "boolean"']);
  });

  it("takes null where nullable says so", () => {
    expect(check({ type: "string", nullable: true }, null)).toEqual([]);
  });
});

describe("lists and maps", () => {
  it("bounds items with kube's Too many and minItems messages", () => {
    expect(check({ type: "array", items: { type: "integer" }, maxItems: 2 }, [1, 2, 3])).toEqual(["spec.field: Too many: 3: must have at most 2 items"]);
    expect(check({ type: "array", items: { type: "integer" }, minItems: 2 }, [1])).toEqual(["spec.field: Invalid value: 1: spec.field in body should have at least 2 items"]);
  });

  it("bounds properties", () => {
    expect(check({ type: "object", additionalProperties: { type: "string" }, maxProperties: 1 }, { a: "1", b: "2" })).toEqual(["spec.field: Too many: 2: must have at most 1 items"]);
    expect(check({ type: "object", additionalProperties: { type: "string" }, minProperties: 1 }, {})).toEqual(["spec.field: Invalid value: 0: spec.field in body should have at least 1 properties"]);
  });

  it("refuses a duplicate in a list-type=set", () => {
    expect(check({ type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } }, ["a", "b", "a"])).toEqual(['spec.field[2]: Duplicate value: "a"']);
  });

  it("lets an atomic list repeat itself", () => {
    expect(check({ type: "array", "x-kubernetes-list-type": "atomic", items: { type: "string" } }, ["a", "a"])).toEqual([]);
  });

  it("identifies list-type=map items by all their keys", () => {
    const schema = { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"], items: { type: "object", required: ["port", "protocol"], properties: { port: { type: "integer" }, protocol: { type: "string" } } } };
    expect(check(schema, [{ port: 53, protocol: "TCP" }, { port: 53, protocol: "UDP" }])).toEqual([]);
    expect(check(schema, [{ port: 53, protocol: "TCP" }, { port: 53, protocol: "TCP" }])).toEqual(['spec.field[1]: Duplicate value: map[string]interface {}{"port":53, "protocol":"TCP"}']);
  });

  it("validates every value of a map against additionalProperties", () => {
    expect(check({ type: "object", additionalProperties: { type: "integer", minimum: 0 } }, { a: 1, b: -1 })).toEqual(["spec.field.b: Invalid value: -1: spec.field.b in body should be greater than or equal to 0"]);
  });
});

describe("allOf, anyOf, oneOf, not", () => {
  it("requires every allOf branch", () => {
    expect(check({ type: "string", allOf: [{ minLength: 2 }, { pattern: "^a" }] }, "b")).toEqual([
      'spec.field: Invalid value: "b": spec.field in body should be at least 2 chars long',
      "spec.field: Invalid value: \"b\": spec.field in body should match '^a'",
    ]);
  });

  it("requires one anyOf branch and reports the branches' failures with it", () => {
    const schema = { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, anyOf: [{ required: ["a"] }, { required: ["b"] }] };
    expect(check(schema, { a: "x" })).toEqual([]);
    expect(check(schema, {})).toEqual(['spec.field: Invalid value: "object": spec.field in body must validate at least one schema (anyOf)', "spec.field.a: Required value", "spec.field.b: Required value"]);
  });

  it("requires exactly one oneOf branch", () => {
    const schema = { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, oneOf: [{ required: ["a"] }, { required: ["b"] }] };
    expect(check(schema, { a: "x" })).toEqual([]);
    expect(check(schema, { a: "x", b: "y" })).toEqual(['spec.field: Invalid value: "object": spec.field in body must validate one and only one schema (oneOf)']);
  });

  it("refuses what not describes", () => {
    expect(check({ type: "string", not: { enum: ["root"] } }, "root")).toEqual(['spec.field: Invalid value: "root": spec.field in body should not validate the given schema']);
  });

  it("descends into a branch's properties", () => {
    const schema = { type: "object", properties: { size: { type: "integer" } }, allOf: [{ properties: { size: { maximum: 5 } } }] };
    expect(check(schema, { size: 6 })).toEqual(["spec.field.size: Invalid value: 6: spec.field.size in body should be less than or equal to 5"]);
  });
});

describe("embedded resources", () => {
  const embedded = { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true };

  it("requires apiVersion and kind and holds metadata to ObjectMeta's rules", () => {
    expect(check(embedded, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } }, spec: { anything: true } })).toEqual([]);
    expect(check(embedded, { metadata: { name: "a/b", labels: { "bad key!": "x", ok: "bad value!" }, namespace: "Not_A_Label" } })).toEqual([
      "spec.field.apiVersion: Required value: must not be empty",
      "spec.field.kind: Required value: must not be empty",
      "spec.field.metadata.name: Invalid value: \"a/b\": may not contain '/'",
      expect.stringMatching(/^spec\.field\.metadata\.namespace: Invalid value: "Not_A_Label": a lowercase RFC 1123 label must consist of/),
      expect.stringMatching(/^spec\.field\.metadata\.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters/),
      expect.stringMatching(/^spec\.field\.metadata\.labels\[ok\]: Invalid value: "bad value!": a valid label must be an empty string or consist of alphanumeric characters/),
    ]);
  });

  it("refuses a kind that is not a mixed-case DNS label and a malformed apiVersion", () => {
    expect(check(embedded, { apiVersion: "a/b/c", kind: "Bad Kind" })).toEqual([
      'spec.field.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      expect.stringMatching(/^spec\.field\.kind: Invalid value: "Bad Kind": may have mixed case, but should otherwise match: a DNS-1035 label/),
    ]);
  });
});

describe("the root's metadata", () => {
  it("requires name and generateName to be DNS subdomains, as kube does of custom resources", () => {
    const schema = compileSchema({ type: "object" , "x-kubernetes-preserve-unknown-fields": true });
    expect(validateCustomResource(schema, { metadata: { generateName: "web-" } })).toEqual([]);
    expect(validateCustomResource(schema, { metadata: { name: "Web_1" } }).map(formatFieldError)).toEqual([
      expect.stringMatching(/^metadata\.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/),
    ]);
  });

  it("holds metadata.name to the schema's own constraints and nothing else", () => {
    const schema = compileSchema({ type: "object", properties: { metadata: { type: "object", properties: { name: { type: "string", maxLength: 5 } } } } });
    expect(validateCustomResource(schema, { metadata: { name: "short", annotations: { any: "thing" } } })).toEqual([]);
    expect(validateCustomResource(schema, { metadata: { name: "much-too-long" } }).map(formatFieldError)).toEqual(["metadata.name: Too long: may not be more than 5 bytes"]);
  });
});
