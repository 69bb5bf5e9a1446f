// The cluster a Kubernetes user recognises, through the real kubectl 1.27 and 1.33 (they differ in
// what they send): `kubectl cluster-info` prints the control plane's address, the read-only
// `kubernetes` Service in `default`, the kubeconfig a developer takes away (a context per namespace
// of theirs, as `kubectl vsphere login` writes them, so a manifest without a namespace lands in the
// current context's), and `default`, which everyone reads and a developer is told why not to write.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLUSTER, DATASTORE } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { issueKubeconfig } from "@/lib/kube/user-kubeconfig";

const RELEASES = { "1.27": "/usr/lib/google-cloud-sdk/bin/kubectl.1.27", "1.33": "/usr/lib/google-cloud-sdk/bin/kubectl.1.33" };
const BOTH = Object.entries(RELEASES);

let kube: KubeHarness;
let server: string;
/** dev's kubeconfig as `npm run kubeconfig` and the console's download write it. */
let devKubeconfig: string;

const namespace = (name: string, permissions: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
spec:
  cluster: ${CLUSTER}
  permissions: ${permissions}
`;

/** A VM manifest with no namespace: it lands in the context's. */
const vm = (name: string) => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: ${DATASTORE}
  powerState: PoweredOff
`;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  server = `https://127.0.0.1:${kube.server.port}`;
  const { rows } = await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ('developers') RETURNING id`);
  await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, 'user-dev')`, [rows[0]!.id]);
  const created = await Promise.all([
    kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: namespace("web-team", "[{kind: User, name: dev, role: owner}]") }),
    kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: namespace("data-team", "[{kind: Group, name: developers, role: edit}]") }),
    kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: namespace("ml-team", "[{kind: User, name: dev, role: view}]") }),
  ]);
  for (const result of created) expect(result.stderr).toBe("");
  devKubeconfig = path.join(kube.scratchDir, "dev-issued.yaml");
  writeFileSync(devKubeconfig, await issueKubeconfig(kube.pool, { id: "user-dev", username: "dev" }, { server, tokenName: "test" }));
});
afterAll(() => kube?.stopKube());

describe.concurrent("kubectl cluster-info and Services", () => {
  test.each(BOTH)("kubectl %s cluster-info prints the control plane's address and exits 0, for a developer too", async (_release, binary) => {
    const [developer, administrator] = await Promise.all([kube.kubectl(["cluster-info"], { as: "developer", binary }), kube.kubectl(["cluster-info"], { as: "administrator", binary })]);
    for (const result of [developer, administrator]) {
      // kubectl 1.27 colours the address even when its output is not a terminal.
      expect({ ...result, stdout: stripVTControlCharacters(result.stdout) }).toEqual({
        stdout: `Kubernetes control plane is running at ${server}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
        stderr: "",
        code: 0,
      });
    }
  });

  test.each(BOTH)("kubectl %s get svc -n default shows kubernetes with kubectl's columns; its port leads to this API", async (_release, binary) => {
    const [listed, object, everywhere] = await Promise.all([
      kube.kubectl(["get", "svc", "-n", "default"], { as: "developer", binary }),
      kube.kubectl(["get", "service", "kubernetes", "-n", "default", "-o", "json"], { as: "developer", binary }),
      kube.kubectl(["get", "svc", "-A", "-o", "name"], { as: "operator", binary }),
    ]);
    expect(listed.stderr).toBe("");
    const [header, row, ...rest] = listed.stdout.trim().split("\n").map((line) => line.split(/\s+/));
    expect(header).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    expect(row!.slice(0, 5)).toEqual(["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]);
    expect(rest).toEqual([]);
    expect(JSON.parse(object.stdout).spec.ports).toEqual([{ name: "https", port: 443, protocol: "TCP", targetPort: kube.server.port }]);
    expect(everywhere.stdout).toBe("service/kubernetes\n");
  });

  test("a watch of services begins with kubernetes, and other namespaces hold none", async () => {
    const [watched, elsewhere] = await Promise.all([
      kube.kubectl(["get", "--raw", "/api/v1/namespaces/default/services?watch=1&timeoutSeconds=1"], { as: "developer" }),
      kube.kubectl(["get", "svc", "-n", "web-team"], { as: "developer" }),
    ]);
    expect(watched.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } }).map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(["ADDED kubernetes"]);
    expect(elsewhere).toMatchObject({ stdout: "", stderr: "No resources found in web-team namespace.\n", code: 0 });
  });

  test.each(BOTH)("kubectl %s may not create or delete services: 405, and kubernetes stays", async (_release, binary) => {
    const [created, deleted] = await Promise.all([
      kube.kubectl(["create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "web-team"], { as: "administrator", binary }),
      kube.kubectl(["delete", "svc", "kubernetes", "-n", "default"], { as: "administrator", binary }),
    ]);
    const refusal = "services are not served for writes yet: Skylight holds only the kubernetes Service in default, which describes this API server (get, list and watch them)";
    expect(created).toMatchObject({ stderr: `error: failed to create ClusterIP service: ${refusal}\n`, code: 1 });
    expect(deleted).toMatchObject({ stderr: `Error from server (MethodNotAllowed): ${refusal}\n`, code: 1 });
    const still = await kube.kubectl(["get", "svc", "kubernetes", "-n", "default", "-o", "name"], { as: "administrator", binary });
    expect(still.stdout).toBe("service/kubernetes\n");
  });

  test("@kubernetes/client-node reads kubernetes from the developer's kubeconfig, and an administrator's create is 405", async () => {
    const config = new k8s.KubeConfig();
    config.loadFromFile(devKubeconfig);
    expect(config.getContextObject(config.getCurrentContext())?.namespace).toBe("data-team");
    const service = await config.makeApiClient(k8s.CoreV1Api).readNamespacedService({ name: "kubernetes", namespace: "default" });
    expect(service.spec?.clusterIP).toBe("10.96.0.1");
    const administrator = new k8s.KubeConfig();
    administrator.loadFromFile(kube.kubeconfig.administrator);
    const created = administrator.makeApiClient(k8s.CoreV1Api).createNamespacedService({ namespace: "web-team", body: { metadata: { name: "web" }, spec: { ports: [{ port: 80 }] } } });
    await expect(created).rejects.toMatchObject({ code: 405 });
  });
});

describe.concurrent("the kubeconfig a developer takes away", () => {
  test("has a context for each of their namespaces, named and set to it, the first current, and one named after the server", async () => {
    const contexts = await kube.kubectl(["config", "get-contexts"], { kubeconfig: devKubeconfig });
    const rows = contexts.stdout.trim().split("\n").slice(1).map((line) => line.trim().split(/\s+/));
    const host = `127.0.0.1:${kube.server.port}`;
    // kubectl lists them by name.
    expect(rows).toEqual([
      [host, host, `dev@${host}`],
      ["*", "data-team", host, `dev@${host}`, "data-team"],
      ["ml-team", host, `dev@${host}`, "ml-team"],
      ["web-team", host, `dev@${host}`, "web-team"],
    ]);
  });

  test.each(BOTH)("kubectl %s applies a manifest without a namespace into the current context's", async (release, binary) => {
    const name = `no-ns-${release.replace(".", "-")}`;
    const file = path.join(kube.scratchDir, `dev-${release}.yaml`);
    writeFileSync(file, await issueKubeconfig(kube.pool, { id: "user-dev", username: "dev" }, { server, tokenName: "test" }));
    if (release === "1.33") expect((await kube.kubectl(["config", "use-context", "web-team"], { kubeconfig: file, binary })).stdout).toBe('Switched to context "web-team".\n');
    const applied = await kube.kubectl(["apply", "-f", "-"], { kubeconfig: file, binary, input: vm(name) });
    expect(applied).toMatchObject({ stdout: `virtualmachine.vmoperator.vmware.com/${name} created\n`, stderr: "", code: 0 });
    const { rows } = await kube.pool.query<{ namespace: string }>(`SELECT namespace FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name]);
    expect(rows).toEqual([{ namespace: release === "1.33" ? "web-team" : "data-team" }]);
  });
});

describe.concurrent("the default namespace", () => {
  // Decided before the body is read, so without the object's name.
  const refusal = (resource: string, group: string, context = "") =>
    `Error from server (Forbidden): ${context}${resource}${group ? `.${group}` : ""} is forbidden: User "dev" cannot create resource "${resource}" in API group "${group}" in the namespace "default": ` +
    "default is Skylight's system namespace, which only administrators change; developers deploy into their own namespaces: use -n data-team or `kubectl config use-context data-team` (yours: data-team, web-team).\n";

  test.each(BOTH)("kubectl %s: a developer writing into default is told why and where to deploy, and nothing is created", async (_release, binary) => {
    // The harness's kubeconfig, like a developer's with no namespace of their own, has default as its context.
    const [run, applied] = await Promise.all([
      kube.kubectl(["run", "x", "--image=busybox:1"], { as: "developer", binary }),
      kube.kubectl(["apply", "-f", "-"], { as: "developer", binary, input: vm("into-default") }),
    ]);
    expect(run).toMatchObject({ stderr: refusal("pods", ""), code: 1 });
    // kubectl apply reads the object first: that read is allowed, and the create refused.
    expect(applied).toMatchObject({ stderr: refusal("virtualmachines", "vmoperator.vmware.com", 'error when creating "STDIN": '), code: 1 });
    // Only the namespace's own default service account lives there.
    const { rows } = await kube.pool.query(`SELECT kind, name FROM resources WHERE namespace = 'default'`);
    expect(rows).toEqual([{ kind: "ServiceAccount", name: "default" }]);
  });

  test("a developer cannot give themselves default by a merge patch, a JSON patch or a server-side apply", async () => {
    const owner = "{kind: User, name: dev, role: owner}";
    const results = await Promise.all([
      kube.kubectl(["patch", "namespace", "default", "--type=merge", "-p", `{"spec":{"permissions":[${owner}]}}`], { as: "developer" }),
      kube.kubectl(["patch", "namespace", "default", "--type=json", "-p", `[{"op":"add","path":"/spec/permissions/-","value":${owner}}]`], { as: "developer" }),
      kube.kubectl(["apply", "--server-side", "-f", "-"], { as: "developer", input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\nspec:\n  permissions: [${owner}]\n` }),
    ]);
    for (const result of results) expect(result).toMatchObject({ stderr: expect.stringContaining("default is Skylight's system namespace, which only administrators change;"), code: 1 });
    const { rows } = await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = 'default'`);
    expect(rows).toEqual([{ permissions: [{ kind: "Group", name: "system:authenticated", role: "view" }] }]);
  });

  test("an administrator's VM or pod in default, which belongs to no cluster, is refused as one that could not run", async () => {
    const [vmResult, pod] = await Promise.all([
      kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: vm("admin-vm") }),
      kube.kubectl(["run", "admin-pod", "--image=busybox:1"], { as: "administrator" }),
    ]);
    const why = 'metadata.namespace: Namespace "default" belongs to no cluster, so nothing created in it could run: use a namespace on a cluster';
    expect(vmResult.stderr).toContain(`The VirtualMachine "admin-vm" is invalid: ${why}`);
    expect(pod.stderr).toContain(`The Pod "admin-pod" is invalid: ${why}`);
  });

  test("only an administrator may open a namespace to everyone, as default is, by naming system:authenticated", async () => {
    const everyone = (namespace: string, as: "developer" | "administrator") =>
      kube.kubectl(["patch", "namespace", namespace, "--type=json", "-p", '[{"op":"add","path":"/spec/permissions/-","value":{"kind":"Group","name":"system:authenticated","role":"view"}}]'], { as });
    // dev owns web-team, and may change who uses it, but not give it to everyone.
    expect((await everyone("web-team", "developer")).stderr).toContain('There is no group named "system:authenticated".');
    expect(await everyone("web-team", "administrator")).toMatchObject({ stdout: "namespace/web-team patched\n", code: 0 });
  });

  test("exists, everyone reads it, only administrators change it, and nobody deletes it", async () => {
    const [asDeveloper, podsThere, devLabel, operatorLabel, adminLabel, deleted] = await Promise.all([
      kube.kubectl(["get", "namespace", "default", "-o", "jsonpath={.status.phase}"], { as: "developer" }),
      kube.kubectl(["get", "pods", "-n", "default"], { as: "developer" }),
      kube.kubectl(["label", "namespace", "default", "team=dev"], { as: "developer" }),
      kube.kubectl(["run", "y", "--image=busybox:1", "-n", "default"], { as: "operator" }),
      kube.kubectl(["label", "namespace", "default", "purpose=system"], { as: "administrator" }),
      kube.kubectl(["delete", "namespace", "default"], { as: "administrator" }),
    ]);
    expect(asDeveloper).toMatchObject({ stdout: "Active", stderr: "", code: 0 });
    expect(podsThere).toMatchObject({ stderr: "No resources found in default namespace.\n", code: 0 });
    expect(devLabel.stderr).toContain('User "dev" cannot patch resource "namespaces" in API group "" at the cluster scope: default is Skylight\'s system namespace, which only administrators change;');
    expect(operatorLabel.stderr).toContain("default is Skylight's system namespace, which only administrators change: deploy into another namespace with -n <namespace> or `kubectl config use-context <namespace>`.");
    expect(adminLabel).toMatchObject({ stdout: "namespace/default labeled\n", code: 0 });
    expect(deleted.stderr).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: User "admin" cannot delete resource "namespaces" in API group "" at the cluster scope: ' +
        "The namespace default may not be deleted: it is Skylight's system namespace, which every Kubernetes cluster has.\n",
    );
    expect((await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "developer" })).stdout.trim().split("\n")).toEqual(["namespace/data-team", "namespace/default", "namespace/ml-team", "namespace/web-team"]);
  });
});
