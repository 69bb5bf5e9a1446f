import { describe, expect, it } from "vitest";
import { formatFieldError } from "@/lib/kube/crd/field-errors";
import { compileSchema, validateCustomResource } from "@/lib/kube/crd/structural-schema";

const withRules = (spec: Record<string, unknown>) => compileSchema({ type: "object", properties: { spec } });
const check = (schema: ReturnType<typeof compileSchema>, spec: unknown, oldSpec?: unknown) =>
  validateCustomResource(schema, { apiVersion: "x.example.com/v1", kind: "X", metadata: { name: "a" }, spec }, oldSpec === undefined ? undefined : { spec: oldSpec }).map(formatFieldError);

const scaling = withRules({
  type: "object",
  properties: { replicas: { type: "integer" }, maxReplicas: { type: "integer" }, ratio: { type: "number" }, name: { type: "string" } },
  "x-kubernetes-validations": [
    { rule: "self.replicas <= self.maxReplicas", message: "replicas must not exceed maxReplicas" },
    { rule: "!has(self.name) || self.name.startsWith('db-')" },
    { rule: "!has(self.ratio) || self.ratio < 2.0", messageExpression: "'ratio ' + string(self.ratio) + ' is too high'" },
  ],
});

describe("x-kubernetes-validations", () => {
  it("passes an object every rule holds for", () => {
    expect(check(scaling, { replicas: 2, maxReplicas: 3, name: "db-a", ratio: 1 })).toEqual([]);
  });

  it("reports a failed rule's message at the rule's node, with the node's type as the value", () => {
    expect(check(scaling, { replicas: 4, maxReplicas: 3 })).toEqual(['spec: Invalid value: "object": replicas must not exceed maxReplicas']);
  });

  it("says 'failed rule: <rule>' when the rule has no message", () => {
    expect(check(scaling, { replicas: 1, maxReplicas: 3, name: "web" })).toEqual(["spec: Invalid value: \"object\": failed rule: !has(self.name) || self.name.startsWith('db-')"]);
  });

  it("uses messageExpression's result, and reads a number field as a double even when written as 3", () => {
    expect(check(scaling, { replicas: 1, maxReplicas: 3, ratio: 3 })).toEqual(['spec: Invalid value: "object": ratio 3 is too high']);
  });

  it("runs rules on every item of a list and every value of a map, at their paths", () => {
    const schema = withRules({
      type: "object",
      properties: {
        ports: { type: "array", items: { type: "integer", "x-kubernetes-validations": [{ rule: "self > 1024", message: "must be unprivileged" }] } },
        limits: { type: "object", additionalProperties: { type: "string", "x-kubernetes-validations": [{ rule: "self.endsWith('Mi')" }] } },
      },
    });
    expect(check(schema, { ports: [8080, 80], limits: { a: "1Mi", b: "1Gi" } })).toEqual([
      'spec.ports[1]: Invalid value: "integer": must be unprivileged',
      "spec.limits.b: Invalid value: \"string\": failed rule: self.endsWith('Mi')",
    ]);
  });

  it("reports at fieldPath, and with the type reason asks for", () => {
    const schema = withRules({
      type: "object",
      properties: { min: { type: "integer" }, max: { type: "integer" } },
      "x-kubernetes-validations": [
        { rule: "self.min <= self.max", message: "min must not exceed max", fieldPath: ".min" },
        { rule: "has(self.max)", message: "max is required", reason: "FieldValueRequired", fieldPath: ".max" },
        { rule: "self.min != 13", message: "13 is unlucky", reason: "FieldValueForbidden" },
      ],
    });
    expect(check(schema, { min: 13 })).toEqual(["spec: Invalid value: \"object\": no such key: max evaluating rule: min must not exceed max", "spec.max: Required value: max is required", "spec: Forbidden: 13 is unlucky"]);
    expect(check(schema, { min: 5, max: 1 })).toEqual(['spec.min: Invalid value: "object": min must not exceed max']);
  });

  it("runs transition rules only when there is an old value, with oldSelf bound to it", () => {
    const schema = withRules({
      type: "object",
      properties: { storage: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "storage is immutable" }] } },
    });
    expect(check(schema, { storage: "ssd" })).toEqual([]);
    expect(check(schema, { storage: "ssd" }, { storage: "ssd" })).toEqual([]);
    expect(check(schema, { storage: "hdd" }, { storage: "ssd" })).toEqual(['spec.storage: Invalid value: "string": storage is immutable']);
    expect(check(schema, { storage: "hdd" }, {})).toEqual([]);
  });

  it("correlates list-type=map items by key for transition rules", () => {
    const schema = withRules({
      type: "object",
      properties: {
        volumes: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", required: ["name"], properties: { name: { type: "string" }, size: { type: "integer", "x-kubernetes-validations": [{ rule: "self >= oldSelf", message: "volumes cannot shrink" }] } } },
        },
      },
    });
    const old = { volumes: [{ name: "a", size: 10 }, { name: "b", size: 10 }] };
    expect(check(schema, { volumes: [{ name: "b", size: 20 }, { name: "a", size: 5 }, { name: "c", size: 1 }] }, old)).toEqual(['spec.volumes[1].size: Invalid value: "integer": volumes cannot shrink']);
  });

  it("offers kube's standard library: macros, strings extension, matches, size, int and double arithmetic", () => {
    const schema = withRules({
      type: "object",
      properties: { items: { type: "array", items: { type: "string" } }, weight: { type: "number" }, count: { type: "integer" } },
      "x-kubernetes-validations": [
        { rule: "self.items.all(i, i.matches('^[a-z]+$'))", message: "lowercase" },
        { rule: "self.items.exists_one(i, i == 'main')", message: "one main" },
        { rule: "size(self.items.filter(i, i.size() > 4)) <= 1", message: "long" },
        { rule: "self.items.map(i, i.upperAscii()).all(i, i != 'BAD')", message: "bad" },
        { rule: "self.count * 2 > 3 && self.weight / 2.0 < 10.0", message: "arithmetic" },
      ],
    });
    expect(check(schema, { items: ["main", "side"], weight: 4, count: 2 })).toEqual([]);
    expect(check(schema, { items: ["main", "Main", "bad", "longer", "longest"], weight: 40, count: 1 })).toEqual(
      ["lowercase", "long", "bad", "arithmetic"].map((message) => `spec: Invalid value: "object": ${message}`),
    );
  });

  it("skips the rules of a value of the wrong type, which the type error already reports", () => {
    expect(check(scaling, "not an object")).toEqual(['spec: Invalid value: "string": spec in body must be of type object: "string"']);
  });
});
