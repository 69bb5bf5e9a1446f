// Field validation through the real kubectl 1.27 and 1.33 (--validate=strict|warn|false, which they
// send as fieldValidation=Strict|Warn|Ignore): unknown fields are refused by path, warned about and
// dropped, or dropped silently, against the schema `kubectl explain` reads; wrong types are refused in
// every mode; kubectl's own Pod and Deployment manifests pass Strict; the same through
// @kubernetes/client-node's fieldValidation. And `kubectl apply
// --server-side` over a client-side apply migrates the managed fields without a warning.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NAMESPACE } from "@/lib/testing/engine-harness";
import { createKubeHarness, vmManifest, type KubeHarness } from "@/lib/testing/kube-harness";
import { MAX_REPORTED_FIELDS, MAX_REPORTED_PATH } from "@/lib/kube/field-validation";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
});
afterAll(async () => kube?.stopKube());

const KUBECTLS = { "1.27": "/usr/lib/google-cloud-sdk/bin/kubectl.1.27", "1.33": "/usr/lib/google-cloud-sdk/bin/kubectl.1.33" } as const;
const VERSIONS = Object.keys(KUBECTLS) as (keyof typeof KUBECTLS)[];
const VMS = `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines`;

const bogusVm = (name: string) => `${vmManifest(name, "PoweredOff")}  bogusField: 1\n  otherBogus:\n    deeper: true\n`;
const wrongTypeVm = (name: string) => `${vmManifest(name, "PoweredOff")}  minHardwareVersion: twenty\n`;
const WRONG_TYPE = 'spec.minHardwareVersion: Invalid value: "string": spec.minHardwareVersion in body must be of type integer: "string"';
const UNKNOWN = 'strict decoding error: unknown field "spec.bogusField", unknown field "spec.otherBogus"';

async function storedVm(name: string) {
  const result = await kube.request("GET", `${VMS}/${name}`);
  return result.status === 200 ? (result.json() as { metadata: { resourceVersion: string; managedFields?: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] }; spec: Record<string, unknown> }) : null;
}

// Every test writes objects of its own names, so they run side by side.
describe.each(VERSIONS)("kubectl %s", (version) => {
  const binary = KUBECTLS[version];
  const kubectl = (args: string[], input?: string) => kube.kubectl(args, { binary, input });
  const tag = version.replace(".", "");
  const documents = (...manifests: string[]) => manifests.join("---\n");

  test("apply --validate=strict refuses unknown fields by path; warn prints them and stores the VM without them; false is silent; a wrong type is refused in every mode", async () => {
    const apply = (mode: string) => kubectl(["apply", `--validate=${mode}`, "-f", "-"], documents(bogusVm(`${mode}-${tag}`), wrongTypeVm(`${mode}-type-${tag}`)));
    const [strict, warn, ignore] = await Promise.all([apply("strict"), apply("warn"), apply("false")]);
    for (const [mode, result] of [["strict", strict], ["warn", warn], ["false", ignore]] as const) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`"${mode}-type-${tag}" is invalid: ${WRONG_TYPE}`);
    }
    expect(strict.stderr).toContain(`Error from server (BadRequest): error when creating "STDIN": VirtualMachine in version "v1alpha3" cannot be handled as a VirtualMachine: ${UNKNOWN}`);
    expect(warn.stderr).toContain('Warning: unknown field "spec.bogusField"\nWarning: unknown field "spec.otherBogus"\n');
    expect(ignore.stderr).not.toContain("Warning");
    const stored = await Promise.all(["strict", "warn", "false"].flatMap((mode) => [storedVm(`${mode}-${tag}`), storedVm(`${mode}-type-${tag}`)]));
    expect(stored.map((vm) => vm && Object.keys(vm.spec).sort())).toEqual([null, null, ["className", "imageName", "powerOffMode", "powerState", "restartMode", "storageClass", "suspendMode"], null, ["className", "imageName", "powerOffMode", "powerState", "restartMode", "storageClass", "suspendMode"], null]);
  });

  test("create, replace, each patch type and server-side apply: unknown fields refused by path (or dropped with a warning), wrong types refused, the VM unchanged", async () => {
    const name = `writes-${tag}`;
    expect((await kubectl(["create", "-f", "-"], vmManifest(name, "PoweredOff"))).stderr).toBe("");
    const before = (await storedVm(name))!;
    const vm = `vm/${name}`;
    const strictPatch = (type: string, body: unknown) => kube.request("PATCH", `${VMS}/${name}?fieldValidation=Strict`, { contentType: `application/${type}`, body: JSON.stringify(body) });
    const [create, replace, replaceWrongType, merge, json, strategic, serverSide, ...requests] = await Promise.all([
      kubectl(["create", "--validate=strict", "-f", "-"], documents(bogusVm(`create-${tag}`), wrongTypeVm(`create-type-${tag}`))),
      kubectl(["replace", "--validate=strict", "-f", "-"], bogusVm(name)),
      kubectl(["replace", "--validate=false", "-f", "-"], wrongTypeVm(name)),
      kubectl(["patch", vm, "-n", NAMESPACE, "--type=merge", "-p", '{"spec":{"bogusField":1}}']),
      kubectl(["patch", vm, "-n", NAMESPACE, "--type=json", "-p", '[{"op":"add","path":"/spec/bogusField","value":1}]']),
      kubectl(["patch", vm, "-n", NAMESPACE, "--type=strategic", "-p", '{"spec":{"bogusField":1}}']),
      kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], documents(bogusVm(name), wrongTypeVm(`ssa-type-${tag}`))),
      strictPatch("merge-patch+json", { spec: { bogusField: 1 } }),
      strictPatch("json-patch+json", [{ op: "add", path: "/spec/bogusField", value: 1 }]),
      strictPatch("strategic-merge-patch+json", { spec: { bogusField: 1 } }),
      kube.request("PATCH", `${VMS}/${name}?fieldValidation=Ignore`, { contentType: "application/merge-patch+json", body: '{"spec":{"minHardwareVersion":"twenty"}}' }),
    ]);
    expect(create.stderr).toContain(UNKNOWN);
    expect(create.stderr).toContain(WRONG_TYPE);
    expect(replace.stderr).toContain(UNKNOWN);
    expect(replaceWrongType.stderr).toContain(WRONG_TYPE);
    // kubectl patch has no --validate and sends none: kube-apiserver's default, Warn, drops the field with a warning.
    for (const patch of [merge, json, strategic]) expect(patch).toMatchObject({ code: 0, stderr: 'Warning: unknown field "spec.bogusField"\n' });
    // A server-side apply refuses what it cannot type whatever the mode, as kube-apiserver's does.
    expect(serverSide.stderr).toContain(`failed to create typed patch object (${NAMESPACE}/${name}; vmoperator.vmware.com/v1alpha3, Kind=VirtualMachine): errors:`);
    expect(serverSide.stderr).toContain(".spec.bogusField: field not declared in schema");
    expect(serverSide.stderr).toContain(".spec.otherBogus: field not declared in schema");
    expect(serverSide.stderr).toContain(WRONG_TYPE);
    for (const result of [create, replace, replaceWrongType, serverSide]) expect(result.code).not.toBe(0);
    for (const patch of requests.slice(0, 3)) {
      expect(patch.status).toBe(400);
      expect(patch.json().message).toBe('VirtualMachine in version "v1alpha3" cannot be handled as a VirtualMachine: strict decoding error: unknown field "spec.bogusField"');
    }
    expect(requests[3]!.status).toBe(422);
    expect(requests[3]!.json().message).toContain(WRONG_TYPE);
    expect(await Promise.all([storedVm(`create-${tag}`), storedVm(`create-type-${tag}`), storedVm(`ssa-type-${tag}`)])).toEqual([null, null, null]);
    const after = (await storedVm(name))!;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec).toEqual(before.spec);
  });

  test("kubectl's Pod and Deployment manifests, and the writes that follow them, pass Strict without a warning", async () => {
    const pod = `pod-${tag}`;
    const deployment = `web-${tag}`;
    const results = await Promise.all([
      kubectl(["apply", "-f", "-"], documents(podManifest(pod), deploymentManifest(deployment))),
      kubectl(["create", "deployment", `made-${tag}`, "-n", NAMESPACE, "--image=busybox:1", "--replicas=1", "--", "sleep", "3600"]),
      kubectl(["run", `run-${tag}`, "-n", NAMESPACE, "--image=busybox:1", "--labels=app=run", "--", "sleep", "3600"]),
    ]);
    for (const result of results) expect(result).toMatchObject({ code: 0, stderr: "" });
    const followUps = await Promise.all([
      kubectl(["apply", "-f", "-"], documents(podManifest(pod).replace("tier: web", "tier: front"), deploymentManifest(deployment).replace("replicas: 2", "replicas: 1"))),
      kubectl(["label", "pod", pod, "-n", NAMESPACE, "reviewed=yes"]),
      kubectl(["set", "image", `deployment/${deployment}`, "-n", NAMESPACE, "web=busybox:2"]),
      kubectl(["apply", "--server-side", "-f", "-"], deploymentManifest(`ssa-${tag}`)),
    ]);
    for (const result of followUps) expect(result).toMatchObject({ code: 0, stderr: "" });
    const stored = JSON.parse((await kubectl(["get", "pod", pod, "-n", NAMESPACE, "-o", "json"])).stdout) as { metadata: { labels: Record<string, string> }; spec: { containers: { env: unknown[]; resources: unknown }[] } };
    expect(stored.metadata.labels).toMatchObject({ app: "web", tier: "front", reviewed: "yes" });
    expect(stored.spec.containers[0]!.env[1]).toEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    expect(stored.spec.containers[0]!.resources).toEqual({ requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } });
  });

  test("client-side apply, then server-side apply: managed fields migrate without a warning, and applying again changes nothing", async () => {
    const name = `migrate-${tag}`;
    const clientSide = await kubectl(["apply", "-f", "-"], vmManifest(name, "PoweredOff"));
    expect(clientSide).toMatchObject({ code: 0, stderr: "" });
    expect((await storedVm(name))!.metadata.managedFields!.map((entry) => entry.manager)).toEqual(["kubectl-client-side-apply"]);

    const serverSide = await kubectl(["apply", "--server-side", "-f", "-"], vmManifest(name, "PoweredOff"));
    expect(serverSide).toMatchObject({ code: 0, stderr: "" });
    const migrated = (await storedVm(name))!;
    // kubectl-client-side-apply's fields are kubectl's now; kubectl-last-applied applied the annotation, as against kube-apiserver.
    const entries = migrated.metadata.managedFields!;
    expect(entries.map((entry) => `${entry.manager} ${entry.operation}`).sort()).toEqual(["kubectl Apply", "kubectl-last-applied Apply"]);
    expect(entries.find((entry) => entry.manager === "kubectl")!.fieldsV1).toMatchObject({
      "f:spec": { "f:className": {}, "f:imageName": {}, "f:powerState": {}, "f:storageClass": {} },
    });

    const again = await kubectl(["apply", "--server-side", "-f", "-"], vmManifest(name, "PoweredOff"));
    expect(again).toMatchObject({ code: 0, stderr: "" });
    expect((await storedVm(name))!.metadata.resourceVersion).toBe(migrated.metadata.resourceVersion);
    // The server-side apply owns the fields now: another manager's change of one conflicts.
    const taken = await kubectl(["apply", "--server-side", "--field-manager=other", "-f", "-"], vmManifest(name, "PoweredOn"));
    expect(taken.stderr).toContain('conflict with "kubectl" using vmoperator.vmware.com/v1alpha3: .spec.powerState');
  });
});

test("through @kubernetes/client-node: fieldValidation Strict refuses an unknown field by path, Ignore creates the VM without it", async () => {
  const config = new k8s.KubeConfig();
  config.loadFromFile(kube.kubeconfig.operator);
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  const create = (name: string, fieldValidation: string) =>
    api.createNamespacedCustomObject({ group: "vmoperator.vmware.com", version: "v1alpha3", namespace: NAMESPACE, plural: "virtualmachines", fieldValidation, body: { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", metadata: { name, namespace: NAMESPACE }, spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: "test-vsan", powerState: "PoweredOff", bogusField: 1 } } });
  const refused = await create("client-node-strict", "Strict").catch((error: unknown) => error as k8s.ApiException<string>);
  expect(refused).toBeInstanceOf(k8s.ApiException);
  expect((refused as k8s.ApiException<string>).code).toBe(400);
  expect(JSON.parse((refused as k8s.ApiException<string>).body).message).toContain('strict decoding error: unknown field "spec.bogusField"');
  const created = (await create("client-node-ignore", "Ignore")) as { spec: Record<string, unknown> };
  expect(created.spec).toMatchObject({ className: "best-effort-small" });
  expect(created.spec).not.toHaveProperty("bogusField");
  expect(await storedVm("client-node-strict")).toBeNull();
});

describe("hostile input", () => {
  const post = (body: unknown, parameter = "Strict", as: "administrator" | "developer" = "administrator") =>
    kube.request("POST", `${VMS}?fieldValidation=${parameter}`, { as, body: JSON.stringify(body) });
  const vm = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: "vmoperator.vmware.com/v1alpha3",
    kind: "VirtualMachine",
    metadata: { name, namespace: NAMESPACE },
    spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: "test-vsan", powerState: "PoweredOff", ...spec },
  });

  test("thousands of unknown fields, or one nested 90 deep: the work and the answer stay small, and nothing is stored", async () => {
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`bogus${index}`, index]));
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 90; level++) deep = { nested: deep };
    const [strict, warn, nested] = await Promise.all([post(vm("many-strict", many)), post(vm("many-warn", many), "Warn"), post(vm("deep", { bogus: deep }))]);

    expect(strict.status).toBe(400);
    expect(strict.json().message).toContain(`unknown field "spec.bogus0", unknown field "spec.bogus1"`);
    expect(strict.json().message).toContain(`unknown field "spec.bogus${MAX_REPORTED_FIELDS - 1}", and ${5000 - MAX_REPORTED_FIELDS} more unknown fields`);
    expect(strict.json().message).not.toContain(`"spec.bogus${MAX_REPORTED_FIELDS}"`);
    expect(strict.text.length).toBeLessThan(2000);

    expect(warn.status).toBe(201);
    // Node's client joins repeated headers with ", ".
    const headers = (warn.headers.warning as string).split(/, (?=299 - )/);
    expect(headers).toHaveLength(MAX_REPORTED_FIELDS + 1);
    expect(headers[0]).toBe('299 - "unknown field \\"spec.bogus0\\""');
    expect(headers.at(-1)).toBe(`299 - "and ${5000 - MAX_REPORTED_FIELDS} more unknown fields"`);
    expect(Object.keys((await storedVm("many-warn"))!.spec).filter((key) => key.startsWith("bogus"))).toEqual([]);

    const longKey = await post(vm("long-key", { [`k${"x".repeat(100_000)}`]: 1 }), "Warn");
    expect(longKey.status).toBe(201);
    expect((longKey.headers.warning as string).length).toBeLessThan(1000);
    expect(longKey.headers.warning).toContain(`unknown field \\"spec.k${"x".repeat(MAX_REPORTED_PATH - 6)}...\\"`);
    const unicode = await post(vm("unicode-key", { "spéc✓\nline": 1 }), "Warn");
    expect(unicode.status).toBe(201);
    expect(Buffer.from(unicode.headers.warning as string, "latin1").toString("utf8")).toBe('299 - "unknown field \\"spec.spéc✓?line\\""');
    const wrongTypes = await post(vm("wrong-types", { minHardwareVersion: "x".repeat(100_000), className: Array.from({ length: 5000 }, (_, index) => index) }));
    expect(wrongTypes.status).toBe(422);
    expect(wrongTypes.text.length).toBeLessThan(4000);

    expect(nested.status).toBe(400);
    expect(nested.json().message).toMatch(/strict decoding error: unknown field "spec\.bogus"$/);
    expect(await storedVm("deep")).toBeNull();
  });

  test("an unknown fieldValidation is refused by name; a caller without the right is refused before the body is read", async () => {
    const unknownMode = await post(vm("bad-mode", {}), "Pedantic");
    expect(unknownMode.status).toBe(400);
    expect(unknownMode.json().message).toBe('fieldValidation: Unsupported value: "Pedantic": supported values: "Ignore", "Strict", "Warn"');
    expect(await storedVm("bad-mode")).toBeNull();
    const outsider = await kube.request("POST", `/apis/vmoperator.vmware.com/v1alpha3/namespaces/other-team/virtualmachines?fieldValidation=Strict`, { as: "developer", body: JSON.stringify({ ...vm("x", { bogusField: 1 }), metadata: { name: "x", namespace: "other-team" } }) });
    expect(outsider.status).toBe(403);
  });

  test("managedFields a client writes: at most 64 entries, each Apply or Update once", async () => {
    expect((await post(vm("owned", {}))).status).toBe(201);
    const patch = (managedFields: unknown) => kube.request("PATCH", `${VMS}/owned`, { contentType: "application/json-patch+json", body: JSON.stringify([{ op: "add", path: "/metadata/managedFields", value: managedFields }]) });
    const entry = (manager: string, operation = "Update") => ({ manager, operation, apiVersion: "vmoperator.vmware.com/v1alpha3", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:className": {} } } });
    const tooMany = await patch(Array.from({ length: 65 }, (_, index) => entry(`m${index}`)));
    expect(tooMany.status).toBe(422);
    expect(tooMany.json().message).toContain("metadata.managedFields: Too many: 65: must have at most 64 items");
    const twice = await patch([entry("a"), entry("a"), entry("b", "Delete")]);
    expect(twice.status).toBe(422);
    expect(twice.json().message).toContain('metadata.managedFields[1]: Duplicate value: manager "a" with operation "Update" is given twice');
    expect(twice.json().message).toContain('metadata.managedFields[2].operation: Unsupported value: "Delete": supported values: "Apply", "Update"');
    const taken = await patch([entry("robot")]);
    expect(taken.status).toBe(200);
    expect((await storedVm("owned"))!.metadata.managedFields).toEqual([expect.objectContaining({ manager: "robot", operation: "Update", fieldsV1: { "f:spec": { "f:className": {} } } })]);
  });
});

const podManifest = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels:
    app: web
    tier: web
  annotations:
    example.com/owner: team-web
spec:
  restartPolicy: Always
  terminationGracePeriodSeconds: 10
  securityContext:
    runAsNonRoot: false
  containers:
  - name: web
    image: busybox:1
    imagePullPolicy: IfNotPresent
    command: ["sleep", "3600"]
    env:
    - name: MODE
      value: production
    - name: POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    ports:
    - containerPort: 8080
      name: http
      protocol: TCP
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
      limits:
        cpu: 1
        memory: 128Mi
    readinessProbe:
      tcpSocket:
        port: 8080
      periodSeconds: 5
    securityContext:
      allowPrivilegeEscalation: false
  volumes:
  - name: scratch
    emptyDir: {}
`;

const deploymentManifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
  labels:
    app: ${name}
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: busybox:1
        args: ["sleep", "3600"]
        resources:
          requests:
            cpu: 50m
            memory: 32Mi
        livenessProbe:
          exec:
            command: ["true"]
`;
