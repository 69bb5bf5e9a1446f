import { describe, expect, it } from "vitest";
import { defaultCustomResourceDefinition } from "@/lib/kube/crd/crd-defaults";
import { validateCustomResourceDefinition } from "@/lib/kube/crd/crd-validation";
import { formatFieldError } from "@/lib/kube/crd/field-errors";

type Crd = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests reach deep into plain JSON

function databaseCrd(): Crd {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "databases.db.example.com" },
    spec: {
      group: "db.example.com",
      scope: "Namespaced",
      names: { plural: "databases", singular: "database", kind: "Database", listKind: "DatabaseList", shortNames: ["db"], categories: ["all"] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: { replicas: { type: "integer", default: 1, maximum: 10 }, engine: { type: "string", enum: ["postgres", "mariadb"] } },
                  "x-kubernetes-validations": [{ rule: "self.replicas >= 1", message: "at least one replica" }],
                },
                status: { type: "object", properties: { readyReplicas: { type: "integer" } } },
              },
            },
          },
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.readyReplicas" } },
          additionalPrinterColumns: [{ name: "Replicas", type: "integer", jsonPath: ".spec.replicas" }],
        },
      ],
    },
  };
}

const messages = (crd: unknown, old?: unknown) => validateCustomResourceDefinition(crd, old).map(formatFieldError);
const schemaPath = "spec.versions[0].schema.openAPIV3Schema";
const changed = (change: (crd: Crd) => void) => {
  const crd = databaseCrd();
  change(crd);
  return messages(crd);
};
const withSpecSchema = (spec: Record<string, unknown>) =>
  changed((crd) => {
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec = spec;
  });

describe("validateCustomResourceDefinition: names, scope, versions", () => {
  it("accepts a well-formed CRD", () => {
    expect(messages(databaseCrd())).toEqual([]);
  });

  it("requires the name to be <plural>.<group>", () => {
    expect(changed((crd) => (crd.metadata.name = "dbs.db.example.com"))).toEqual(['metadata.name: Invalid value: "dbs.db.example.com": must be spec.names.plural+"."+spec.group']);
  });

  it("requires a group with at least one dot", () => {
    expect(changed((crd) => {
      crd.spec.group = "db";
      crd.metadata.name = "databases.db";
    })).toEqual(['spec.group: Invalid value: "db": should be a domain with at least one dot']);
  });

  it("holds the names to DNS labels, kind to mixed-case DNS labels, and kind apart from listKind", () => {
    expect(changed((crd) => {
      crd.spec.names = { plural: "databases", singular: "Data_base", kind: "Data base", listKind: "Data base", shortNames: ["DB"] };
    })).toEqual([
      "spec.names.singular: Invalid value: \"Data_base\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      "spec.names.kind: Invalid value: \"Data base\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      "spec.names.listKind: Invalid value: \"Data base\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      'spec.names.listKind: Invalid value: "Data base": kind and listKind may not be the same',
      "spec.names.shortNames[0]: Invalid value: \"DB\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it("requires plural, singular, kind and listKind, which kube's v1 defaults fill in from kind", () => {
    expect(changed((crd) => (crd.spec.names = {}))).toEqual([
      'metadata.name: Invalid value: "databases.db.example.com": must be spec.names.plural+"."+spec.group',
      ...["plural", "singular", "kind", "listKind"].map((name) => `spec.names.${name}: Required value`),
    ]);
    const defaulted = databaseCrd();
    defaulted.spec.names = { plural: "databases", kind: "Database" };
    delete defaulted.spec.conversion;
    defaultCustomResourceDefinition(defaulted);
    expect(defaulted.spec.names).toEqual({ plural: "databases", kind: "Database", singular: "database", listKind: "DatabaseList" });
    expect(defaulted.spec.conversion).toEqual({ strategy: "None" });
    expect(messages(defaulted)).toEqual([]);
  });

  it("accepts only Namespaced or Cluster scope", () => {
    expect(changed((crd) => (crd.spec.scope = "Global"))).toEqual(['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);
    expect(changed((crd) => delete crd.spec.scope)).toEqual(["spec.scope: Required value"]);
  });

  it("requires exactly one storage version and unique version names", () => {
    expect(changed((crd) => crd.spec.versions.push({ ...crd.spec.versions[0] }))).toEqual([
      'spec.versions: Invalid value: "v1": must contain unique version names',
      "spec.versions: Invalid value: 2: must have exactly one version marked as storage version",
    ]);
    expect(changed((crd) => (crd.spec.versions[0].storage = false))).toEqual(["spec.versions: Invalid value: 0: must have exactly one version marked as storage version"]);
  });

  it("requires version names to be DNS labels and each version to have a schema", () => {
    expect(changed((crd) => {
      crd.spec.versions[0].name = "V1";
      delete crd.spec.versions[0].schema;
    })).toEqual([
      "spec.versions[0].name: Invalid value: \"V1\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      "spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required",
    ]);
  });

  it("allows a deprecationWarning only on a deprecated version, one short printable line", () => {
    expect(changed((crd) => (crd.spec.versions[0].deprecationWarning = "use v2"))).toEqual(['spec.versions[0].deprecationWarning: Invalid value: "use v2": can only be set for deprecated versions']);
    expect(changed((crd) => Object.assign(crd.spec.versions[0], { deprecated: true, deprecationWarning: "use v2" }))).toEqual([]);
    expect(changed((crd) => Object.assign(crd.spec.versions[0], { deprecated: true, deprecationWarning: `use\nv2${"!".repeat(300)}` }))).toEqual([
      expect.stringMatching(/^spec\.versions\[0\]\.deprecationWarning: Invalid value: ".*": must be <= 256 characters long$/),
      expect.stringMatching(/^spec\.versions\[0\]\.deprecationWarning: Invalid value: ".*": must only contain printable UTF-8 characters; control character found at index 3$/),
    ]);
  });

  it("holds selectableFields to string, boolean and integer fields outside metadata, each once, at most 8", () => {
    expect(changed((crd) => (crd.spec.versions[0].selectableFields = [{ jsonPath: ".spec.engine" }, { jsonPath: ".spec.replicas" }]))).toEqual([]);
    expect(changed((crd) => (crd.spec.versions[0].selectableFields = [{ jsonPath: ".spec" }, { jsonPath: ".spec.nothing" }, { jsonPath: ".spec.engine" }, { jsonPath: ".spec.engine" }, {}]))).toEqual([
      'spec.versions[0].selectableFields[0].jsonPath: Invalid value: ".spec": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      'spec.versions[0].selectableFields[1].jsonPath: Invalid value: ".spec.nothing": is an invalid path: does not refer to a valid field',
      'spec.versions[0].selectableFields[3].jsonPath: Duplicate value: ".spec.engine"',
      "spec.versions[0].selectableFields[4].jsonPath: Required value",
    ]);
  });

  it("refuses conversion webhooks, saying Skylight does not call them", () => {
    const [message] = changed((crd) => (crd.spec.conversion = { strategy: "Webhook", webhook: { clientConfig: { url: "https://x" } } }));
    expect(message).toMatch(/^spec\.conversion\.strategy: Unsupported value: "Webhook": supported values: "None" \(Skylight does not call conversion webhooks/);
    expect(changed((crd) => (crd.spec.conversion = { strategy: "None" }))).toEqual([]);
  });

  it("keeps scope, group, kind and plural on update", () => {
    const old = databaseCrd();
    const crd = databaseCrd();
    crd.spec.scope = "Cluster";
    expect(messages(crd, old)).toEqual(['spec.scope: Invalid value: "Cluster": field is immutable']);
    crd.spec.scope = "Namespaced";
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size = { type: "string" };
    expect(messages(crd, old)).toEqual([]);
  });
});

describe("validateCustomResourceDefinition: structural schemas", () => {
  it("requires a type on every specified field and item", () => {
    expect(withSpecSchema({ type: "object", properties: { size: {}, tags: { type: "array", items: { description: "a tag" } } } })).toEqual([
      `${schemaPath}.properties[spec].properties[size].type: Required value: must not be empty for specified object fields`,
      `${schemaPath}.properties[spec].properties[tags].items.type: Required value: must not be empty for specified array items`,
    ]);
  });

  it("lets preserve-unknown-fields and int-or-string go without a type, but not both on one field", () => {
    expect(withSpecSchema({ type: "object", properties: { free: { "x-kubernetes-preserve-unknown-fields": true }, port: { "x-kubernetes-int-or-string": true } } })).toEqual([]);
    expect(withSpecSchema({ type: "object", properties: { port: { "x-kubernetes-preserve-unknown-fields": true, "x-kubernetes-int-or-string": true } } })).toEqual([
      `${schemaPath}.properties[spec].properties[port].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
    ]);
  });

  it("requires an object at the root, and metadata to say nothing but name and generateName", () => {
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.type = "string"))).toContain(`${schemaPath}.type: Invalid value: "string": must be object at the root`);
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: "object", properties: { labels: { type: "object" } } }))).toEqual([
      `${schemaPath}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: "object", properties: { name: { type: "string", maxLength: 20 } } }))).toEqual([]);
  });

  it("lets allOf/anyOf/oneOf/not carry value validations only", () => {
    expect(withSpecSchema({ type: "object", properties: { size: { type: "string" } }, anyOf: [{ required: ["size"] }, { properties: { size: { type: "string", default: "1" } } }] })).toEqual([
      `${schemaPath}.properties[spec].anyOf[1].properties[size].default: Forbidden: must be undefined to be structural`,
      `${schemaPath}.properties[spec].anyOf[1].properties[size].type: Forbidden: must be empty to be structural`,
    ]);
  });

  it("accepts controller-gen's int-or-string (anyOf integer, string) and refuses additionalProperties at the root", () => {
    expect(withSpecSchema({ type: "object", properties: { port: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true } } })).toEqual([]);
    expect(withSpecSchema({ type: "object", properties: { port: { allOf: [{ anyOf: [{ type: "integer" }, { type: "string" }] }, { pattern: "^[0-9]+$" }], "x-kubernetes-int-or-string": true } } })).toEqual([]);
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.additionalProperties = { type: "string" }))).toEqual([
      expect.stringMatching(/^spec\.versions\[0\]\.schema\.openAPIV3Schema: Invalid value: only \[.*\] fields are allowed at the root of the schema if the status subresource is enabled$/),
      `${schemaPath}.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${schemaPath}.additionalProperties: Forbidden: must not be used at the root`,
    ]);
  });

  it("refuses uniqueItems, additionalProperties beside properties, $ref and non-RE2 patterns", () => {
    expect(withSpecSchema({ type: "object", properties: { a: { type: "array", uniqueItems: true, items: { type: "string" } }, b: { type: "string", pattern: "(?=lookahead)" }, c: { $ref: "#/x", type: "object" } }, additionalProperties: { type: "string" } })).toEqual([
      `${schemaPath}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${schemaPath}.properties[spec].properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      expect.stringMatching(/^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[b\]\.pattern: Invalid value: "\(\?=lookahead\)": must be a valid regular expression, but isn't: /),
      `${schemaPath}.properties[spec].properties[c].$ref: Forbidden: $ref is not supported`,
    ]);
  });

  it("requires list-map-keys for list-type=map, naming required or defaulted scalar item properties", () => {
    expect(withSpecSchema({ type: "object", properties: { ports: { type: "array", "x-kubernetes-list-type": "map", items: { type: "object", properties: { name: { type: "string" } } } } } })).toEqual([
      `${schemaPath}.properties[spec].properties[ports].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ]);
    expect(withSpecSchema({ type: "object", properties: { ports: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "port"], items: { type: "object", properties: { name: { type: "string" } } } } } })).toEqual([
      `${schemaPath}.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      `${schemaPath}.properties[spec].properties[ports].x-kubernetes-list-map-keys: Invalid value: []interface {}{"name", "port"}: entries must all be names of item properties`,
    ]);
    expect(withSpecSchema({ type: "object", properties: { tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "object" } } } })).toEqual([
      `${schemaPath}.properties[spec].properties[tags].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set`,
    ]);
  });

  it("requires an embedded resource to be an object with properties or preserve-unknown-fields", () => {
    expect(withSpecSchema({ type: "object", properties: { template: { type: "object", "x-kubernetes-embedded-resource": true } } })).toEqual([
      `${schemaPath}.properties[spec].properties[template].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
    ]);
  });

  it("requires defaults to be pruned and valid against their schema, and none in the root's metadata", () => {
    expect(withSpecSchema({ type: "object", properties: { replicas: { type: "integer", maximum: 10, default: 20 }, tls: { type: "object", default: { enabled: true, bogus: 1 }, properties: { enabled: { type: "boolean" } } } } })).toEqual([
      `${schemaPath}.properties[spec].properties[replicas].default: Invalid value: 20: ${schemaPath}.properties[spec].properties[replicas].default in body should be less than or equal to 10`,
      `${schemaPath}.properties[spec].properties[tls].default: Invalid value: map[string]interface {}{"bogus":1, "enabled":true}: must not have unknown fields`,
    ]);
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: "object", default: { name: "x" } }))).toEqual([
      `${schemaPath}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
    ]);
  });

  it("refuses CEL rules that do not compile, name unknown variables or functions, or read oldSelf where nothing correlates", () => {
    expect(withSpecSchema({
      type: "object",
      properties: { items: { type: "array", items: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] } } },
      "x-kubernetes-validations": [{ rule: "self.replicas >" }, { rule: "other > 1" }, { rule: "self.frobnicate()" }, { rule: "true", reason: "Because", fieldPath: ".nothing" }],
    })).toEqual([
      `${schemaPath}.properties[spec].properties[items].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${schemaPath}.properties[spec].properties[items]`,
      expect.stringMatching(/^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.replicas >": compilation failed: ERROR: <input>:1:\d+: /),
      `${schemaPath}.properties[spec].x-kubernetes-validations[1].rule: Invalid value: "other > 1": compilation failed: undeclared reference to 'other'`,
      `${schemaPath}.properties[spec].x-kubernetes-validations[2].rule: Invalid value: "self.frobnicate()": compilation failed: undeclared reference to 'frobnicate'`,
      `${schemaPath}.properties[spec].x-kubernetes-validations[3].fieldPath: Invalid value: ".nothing": fieldPath must be a valid path`,
      `${schemaPath}.properties[spec].x-kubernetes-validations[3].reason: Unsupported value: "Because": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ]);
  });
});

describe("validateCustomResourceDefinition: the estimated cost of CEL rules", () => {
  const pairs = "self.items.all(x, self.items.all(y, x == y || x != y))";
  const costMessage = "estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";

  it("refuses a quadratic rule over an unbounded list, and takes it once maxItems bounds the list", () => {
    expect(withSpecSchema({ type: "object", properties: { items: { type: "array", items: { type: "string" } } }, "x-kubernetes-validations": [{ rule: pairs }] })).toEqual([
      `${schemaPath}.properties[spec].x-kubernetes-validations[0].rule: Forbidden: ${costMessage}`,
    ]);
    expect(withSpecSchema({ type: "object", properties: { items: { type: "array", maxItems: 100, items: { type: "string" } } }, "x-kubernetes-validations": [{ rule: pairs }] })).toEqual([]);
  });

  it("counts a rule once per element of the unbounded lists above it, however deep they nest", () => {
    const nested = (items: Record<string, unknown>) => ({ type: "object", properties: { outer: { type: "array", items: { type: "object", properties: { inner: { type: "array", items } } } } } });
    expect(withSpecSchema(nested({ type: "object", properties: { a: { type: "string" } }, "x-kubernetes-validations": [{ rule: "!has(self.a) || self.a != ''" }] }))).toEqual([]);
    expect(withSpecSchema(nested({ type: "array", items: { type: "string" }, "x-kubernetes-validations": [{ rule: "self.all(x, x != '')" }] }))).toEqual([
      `${schemaPath}.properties[spec].properties[outer].items.properties[inner].items.x-kubernetes-validations[0].rule: Forbidden: ${costMessage}`,
    ]);
  });
});

describe("validateCustomResourceDefinition: printer columns and scale", () => {
  it("checks each column's name, type, format and jsonPath", () => {
    expect(changed((crd) => (crd.spec.versions[0].additionalPrinterColumns = [{ type: "float", format: "roman", jsonPath: "spec.replicas" }]))).toEqual([
      "spec.versions[0].additionalPrinterColumns[0].name: Required value",
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "float": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[0].format: Invalid value: "roman": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.versions[0].additionalPrinterColumns[0].JSONPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
    ]);
  });

  it("keeps the root of the schema to what kube allows there when the status subresource is on", () => {
    expect(changed((crd) => (crd.spec.versions[0].schema.openAPIV3Schema.anyOf = [{ required: ["spec"] }]))).toEqual([
      "spec.versions[0].schema.openAPIV3Schema: Invalid value: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled",
    ]);
    expect(changed((crd) => {
      crd.spec.versions[0].schema.openAPIV3Schema.anyOf = [{ required: ["spec"] }];
      delete crd.spec.versions[0].subresources.status;
    })).toEqual([]);
  });

  it("requires the scale subresource's paths under .spec and .status", () => {
    expect(changed((crd) => (crd.spec.versions[0].subresources.scale = { specReplicasPath: ".status.replicas" }))).toEqual([
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      "spec.versions[0].subresources.scale.statusReplicasPath: Required value",
    ]);
  });
});
