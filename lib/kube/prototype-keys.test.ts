// No client key reaches a prototype. Every entry point of the Kubernetes API that reads a body or
// walks client keys (JSON patch pointers, merge and strategic merge patches, server-side apply,
// JSON, YAML and protobuf bodies, selectors) refuses __proto__, constructor and prototype, and a
// write to a namespace the caller may not change is refused before its body is read. After every
// request Object.prototype, Array.prototype and Function.prototype are as they were.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { NAMESPACE, OPERATOR, vmSpec } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;
const VM = "proto-vm";
const VM_PATH = `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines/${VM}`;

const prototypes = () => [Object.prototype, Array.prototype, Function.prototype].map((prototype) => Object.getOwnPropertyNames(prototype).sort().join(","));
const before = prototypes();

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6561 });
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: VM, spec: vmSpec() }, kube.pool);
});
afterAll(async () => kube?.stopKube());
afterEach(() => {
  expect(prototypes()).toEqual(before);
  expect(({} as Record<string, unknown>).cpu).toBeUndefined();
  expect(({} as Record<string, unknown>).memoryMiB).toBeUndefined();
});

async function versionOf(kind: string, namespace: string, name: string) {
  const { rows } = await kube.pool.query<{ resource_version: string }>(`SELECT resource_version::text FROM resources WHERE kind = $1 AND namespace = $2 AND name = $3`, [kind, namespace, name]);
  return rows[0]?.resource_version;
}

describe("prototype keys through the Kubernetes API", () => {
  test("a developer's JSON patch into __proto__ of a namespace they cannot see is Forbidden before the patch is read", async () => {
    const version = await versionOf("Namespace", "", NAMESPACE);
    // Straight to PATCH: kubectl patch would read the namespace first and stop at that Forbidden.
    const patched = await kube.request("PATCH", `/api/v1/namespaces/${NAMESPACE}`, { as: "developer", body: '[{"op":"add","path":"/__proto__/cpu","value":0}]', contentType: "application/json-patch+json" });
    expect(patched.status).toBe(403);
    expect(patched.json().message).toBe(`namespaces "${NAMESPACE}" is forbidden: User "dev" cannot patch resource "namespaces" in API group "" at the cluster scope: You have no access to namespace ${NAMESPACE}.`);
    // So is any other write to it, whatever its body: the developer never gets as far as a body.
    for (const [method, body, contentType] of [
      ["PATCH", '{"spec":{"__proto__":{"namespace":"x"}}}', "application/merge-patch+json"],
      ["PATCH", '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"apps"},"spec":{"__proto__":{"memoryMiB":0}}}', "application/apply-patch+yaml"],
      ["PUT", '{"metadata":{"name":"apps"},"spec":{"constructor":{"prototype":{"cpu":0}}}}', "application/json"],
      ["DELETE", "", "application/json"],
    ] as const) {
      const refused = await kube.request(method, `/api/v1/namespaces/${NAMESPACE}?fieldManager=fuzz&dryRun=All`, { as: "developer", body, contentType });
      expect([method, refused.status]).toEqual([method, 403]);
    }
    expect(await versionOf("Namespace", "", NAMESPACE)).toBe(version);
  });

  test("a JSON patch whose path or from names a prototype is refused with 400, and the object is unchanged", async () => {
    const version = await versionOf("VirtualMachine", NAMESPACE, VM);
    for (const [operation, named] of [
      ['{"op":"add","path":"/__proto__/cpu","value":0}', "__proto__"],
      ['{"op":"add","path":"/metadata/constructor/prototype/polluted","value":"yes"}', "constructor"],
      ['{"op":"add","path":"/spec/prototype","value":1}', "prototype"],
      ['{"op":"copy","from":"/__proto__","path":"/spec/copied"}', "__proto__"],
    ] as const) {
      const result = await kube.kubectl(["patch", "vm", VM, "-n", NAMESPACE, "--type=json", "-p", `[${operation}]`], { as: "administrator" });
      expect(result.stderr).toContain(`Error from server (BadRequest): the server rejected our request due to an error in our request: JSON patch operation 0:`);
      expect(result.stderr).toContain(`names "${named}", which is not allowed`);
    }
    // A pointer through an inherited property finds nothing, as a missing path.
    const inherited = await kube.kubectl(["patch", "vm", VM, "-n", NAMESPACE, "--type=json", "-p", '[{"op":"add","path":"/spec/toString/x","value":1}]'], { as: "administrator" });
    expect(inherited.stderr).toContain('doc is missing path: "/spec/toString/x"');
    expect(await versionOf("VirtualMachine", NAMESPACE, VM)).toBe(version);
  });

  test("merge, strategic merge and server-side apply (even as a dry run) refuse a prototype key at any depth, naming its path", async () => {
    const version = await versionOf("VirtualMachine", NAMESPACE, VM);
    const merge = await kube.kubectl(["patch", "vm", VM, "-n", NAMESPACE, "--type=merge", "-p", '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}'], { as: "administrator" });
    expect(merge.stderr.trim()).toBe('Error from server (BadRequest): the server rejected our request due to an error in our request: metadata.labels.__proto__: "__proto__" is not allowed as a key');
    const strategic = await kube.kubectl(["patch", "vm", VM, "-n", NAMESPACE, "-p", '{"spec":{"volumes":[{"name":"d","constructor":{"prototype":{"cpu":0}}}]}}'], { as: "administrator" });
    expect(strategic.stderr).toContain('spec.volumes[0].constructor: "constructor" is not allowed as a key');

    const manifest = `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${VM}
  namespace: ${NAMESPACE}
spec:
  __proto__:
    memoryMiB: 0
`;
    for (const dryRun of ["--dry-run=server", "--dry-run=none"]) {
      const applied = await kube.kubectl(["apply", "--server-side", dryRun, "-f", "-"], { as: "administrator", input: manifest });
      expect(applied.stderr).toContain('spec.__proto__: "__proto__" is not allowed as a key');
    }
    // The same configuration as YAML, as clients other than kubectl send it.
    const yaml = await kube.request("PATCH", `${VM_PATH}?fieldManager=fuzz`, { body: manifest, contentType: "application/apply-patch+yaml" });
    expect(yaml.status).toBe(400);
    expect(yaml.json().message).toContain('spec.__proto__: "__proto__" is not allowed as a key');
    expect(await versionOf("VirtualMachine", NAMESPACE, VM)).toBe(version);
  });

  test("create and replace bodies in JSON, YAML and protobuf are refused the same way", async () => {
    const json = await kube.request("POST", `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines`, {
      body: JSON.stringify({ metadata: { name: "proto-new", annotations: { prototype: "x" } }, spec: vmSpec() }).replace('"prototype"', '"__proto__"'),
    });
    expect(json.status).toBe(400);
    expect(json.json().message).toContain('metadata.annotations.__proto__: "__proto__" is not allowed as a key');

    const yaml = await kube.request("PUT", VM_PATH, { body: `metadata:\n  name: ${VM}\nspec:\n  constructor:\n    prototype:\n      cpu: 0\n`, contentType: "application/yaml" });
    expect(yaml.status).toBe(400);
    expect(yaml.json().message).toContain('spec.constructor: "constructor" is not allowed as a key');

    // kubectl's typed clients send a Namespace as protobuf: runtime.Unknown around a v1 Namespace.
    const varint = (value: number) => {
      const bytes: number[] = [];
      for (; value > 0x7f; value >>>= 7) bytes.push((value & 0x7f) | 0x80);
      return Buffer.from([...bytes, value]);
    };
    const field = (number: number, bytes: Buffer) => Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
    const text = (number: number, value: string) => field(number, Buffer.from(value));
    const metadata = field(1, Buffer.concat([text(1, "proto-ns"), field(11, Buffer.concat([text(1, "__proto__"), text(2, "x")]))]));
    const protobuf = Buffer.concat([Buffer.from("k8s\0"), field(1, Buffer.concat([text(1, "v1"), text(2, "Namespace")])), field(2, metadata)]);
    const created = await kube.request("POST", "/api/v1/namespaces", { body: protobuf, contentType: "application/vnd.kubernetes.protobuf" });
    expect(created.status).toBe(400);
    expect(created.json().message).toContain('metadata.labels.__proto__: "__proto__" is not allowed as a key');
    expect(await versionOf("Namespace", "", "proto-ns")).toBeUndefined();
  });

  test("selectors that name a prototype's property answer 400 or select nothing, never 500", async () => {
    const fields = await kube.kubectl(["get", "vm", "-n", NAMESPACE, "--field-selector", "constructor=x"], { as: "administrator" });
    expect(fields.stderr).toContain("Error from server (BadRequest)");
    expect(fields.stderr).toContain("field label not supported: constructor");
    const events = await kube.kubectl(["get", "events", "-n", NAMESPACE, "--field-selector", "toString=x"], { as: "administrator" });
    expect(events.stderr).toContain("field label not supported: toString");
    const labels = await kube.kubectl(["get", "vm", "-n", NAMESPACE, "-l", "constructor", "-o", "name"], { as: "administrator" });
    expect(labels).toMatchObject({ stdout: "", code: 0 });
  });
});

describe("names that are not strings", () => {
  test("a body whose metadata.name is an object (even one whose toString is not a function) is refused with 422 naming the field, not a server error", async () => {
    for (const name of ['{"toString":""}', "{}", "[]", "7"]) {
      const body = `{"apiVersion":"skylight.io/v1alpha1","kind":"Network","metadata":{"name":"fuzz-missing","name":${name}},"spec":{}}`;
      const refused = await kube.request("PUT", "/apis/skylight.io/v1alpha1/networks/fuzz-missing?fieldManager=test", { as: "administrator", body, contentType: "application/json" });
      expect([name, refused.status]).toEqual([name, 422]);
      expect(refused.json().details?.causes).toEqual([{ field: "metadata.name", message: "Invalid value: must be a string", reason: "FieldValueInvalid" }]);
    }
  });
});
