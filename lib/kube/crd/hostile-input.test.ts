// Objects come from untrusted users and schemas from CRD authors: whatever they hold, validating,
// pruning and defaulting stay bounded in time and end with kube's answer.
import { describe, expect, it } from "vitest";
import { formatFieldError } from "@/lib/kube/crd/field-errors";
import { compileSchema, defaultCustomResource, pruneCustomResource, validateCustomResource } from "@/lib/kube/crd/structural-schema";

const timed = <T>(work: () => T): { result: T; ms: number } => {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
};

const specSchema = (spec: Record<string, unknown>) => compileSchema({ type: "object", properties: { spec } });
const validate = (schema: ReturnType<typeof compileSchema>, spec: unknown) => validateCustomResource(schema, { spec }).map(formatFieldError);

describe("hostile input stays bounded", () => {
  it("matches a pattern that backtracks catastrophically in linear time (RE2)", () => {
    const schema = specSchema({ type: "object", properties: { name: { type: "string", pattern: "^(a+)+$" } } });
    const name = `${"a".repeat(100_000)}b`;
    const { result, ms } = timed(() => validate(schema, { name }));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^spec\.name: Invalid value: "a+b": spec\.name in body should match '\^\(a\+\)\+\$'$/);
    expect(ms).toBeLessThan(2_000);
  });

  it("stops a CEL rule that loops over a huge list with kube's cost-limit error", () => {
    const schema = specSchema({
      type: "object",
      properties: { items: { type: "array", items: { type: "string" } } },
      "x-kubernetes-validations": [{ rule: "self.items.all(x, self.items.all(y, x == y || x != y))", message: "pairs" }],
    });
    const items = Array.from({ length: 10_000 }, (_, index) => `item-${index}`);
    const { result, ms } = timed(() => validate(schema, { items }));
    expect(result).toEqual([`spec: Invalid value: "object": 'operation cancelled: actual cost limit exceeded': call cost exceeds limit for rule: pairs`]);
    expect(ms).toBeLessThan(3_000);
  });

  it("stops all rules once the object's budget is spent, saying so once", () => {
    const expensive = { type: "array", items: { type: "integer" }, "x-kubernetes-validations": [{ rule: "self.all(x, self.exists(y, y == x))" }] };
    const schema = specSchema({ type: "object", properties: Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`list${index}`, expensive])) });
    const list = Array.from({ length: 1_200 }, (_, index) => index);
    const { result, ms } = timed(() => validate(schema, Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`list${index}`, list]))));
    expect(result.filter((message) => message.includes("running out of cost budget"))).toHaveLength(1);
    expect(result.at(-1)).toMatch(/^spec\.list\d: Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run$/);
    expect(ms).toBeLessThan(3_000);
  });

  it("validates a 10,000-item list-type=map list, finding its duplicate, in well under a second", () => {
    const schema = specSchema({
      type: "object",
      properties: {
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name", "protocol"],
          items: { type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 63 }, protocol: { type: "string", default: "TCP" }, port: { type: "integer", minimum: 1, maximum: 65535 } } },
        },
      },
    });
    const ports = Array.from({ length: 10_000 }, (_, index) => ({ name: `p${index}`, port: (index % 65535) + 1 }));
    ports.push({ name: "p7", port: 1 });
    const object = { spec: { ports } };
    const { result, ms } = timed(() => {
      defaultCustomResource(schema, object);
      pruneCustomResource(schema, object);
      return validateCustomResource(schema, object).map(formatFieldError);
    });
    expect(result).toEqual(['spec.ports[10000]: Duplicate value: map[string]interface {}{"name":"p7", "protocol":"TCP"}']);
    expect(ms).toBeLessThan(1_000);
  });

  it("handles a 100-level-deep object under preserve-unknown-fields, with a rule reading it", () => {
    const schema = specSchema({ type: "object", "x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-validations": [{ rule: "has(self.next)", message: "needs next" }] });
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 100; level++) deep = { next: deep, extra: level };
    const object = { spec: deep, junk: 1 };
    const { result, ms } = timed(() => ({ pruned: pruneCustomResource(schema, object), errors: validateCustomResource(schema, object) }));
    expect(result).toEqual({ pruned: ["junk"], errors: [] });
    expect(ms).toBeLessThan(500);
  });

  it("refuses a rule that is not a bool without running further work", () => {
    const schema = specSchema({ type: "object", properties: { n: { type: "integer" } }, "x-kubernetes-validations": [{ rule: "self.n + 1" }] });
    expect(validate(schema, { n: 1 })).toEqual(['spec: Invalid value: "object": rule did not evaluate to a bool: self.n + 1']);
  });
});
