// Administration › Extensions reads which controllers look after a custom kind: a watch a client
// holds open (recorded by the API server that serves it, so any app process's console sees it)
// counts while it is open and no longer once it ends; a Lease held in a namespace with objects of
// the kind counts while it is renewed; nothing is claimed for a kind nobody watches; and only
// administrators read the page's model.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { readExtensions } from "@/lib/inventory/extension-reads";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, KUBECTL, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const DEVELOPER = { id: "user-dev", username: "dev", role: "developer" } as const;
const TEAM = "gizmo-team";

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, watchRecheckIntervalMs: 200 });
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  kube.startEngine();
  expect((await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: crd })).stderr).toBe("");
  await kube.kubectl(["wait", "--for=condition=Established", "crd/gizmos.example.com", "--timeout=30s"], { as: "administrator" });
  const gizmo = `apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g1, namespace: ${TEAM}}\nspec: {size: 1}\n`;
  expect((await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: gizmo })).stderr).toBe("");
});
afterAll(async () => kube?.stopKube());

const gizmos = async () => (await readExtensions(ADMIN)).find((extension) => extension.name === "gizmos.example.com")!;

describe("Administration › Extensions", () => {
  test("a kind nobody watches has no controller; an open watch counts while it is open; a held Lease counts; developers may not read it", async () => {
    expect(await gizmos()).toMatchObject({ kind: "Gizmo", group: "example.com", scope: "Namespaced", objects: 1, state: { established: true }, controllers: [] });

    const watch = spawn(KUBECTL, ["get", "gizmos", "-n", TEAM, "--watch"], { env: { ...process.env, KUBECONFIG: kube.kubeconfig.developer, HOME: kube.scratchDir }, stdio: "ignore" });
    try {
      const watched = await waitFor(async () => (await gizmos()).controllers.length > 0 && gizmos(), "the watch to be recorded");
      expect(watched.controllers).toEqual([{ who: "dev", how: "1 watch open" }]);
    } finally {
      watch.kill();
    }
    await waitFor(async () => (await gizmos()).controllers.length === 0, "the ended watch to stop counting");

    const lease = `apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: gizmo-operator, namespace: ${TEAM}}\nspec: {holderIdentity: gizmo-operator-7f9c, leaseDurationSeconds: 60, renewTime: "${new Date().toISOString()}"}\n`;
    expect((await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: lease })).stderr).toBe("");
    expect((await gizmos()).controllers).toEqual([{ who: "gizmo-operator-7f9c", how: `holds Lease ${TEAM}/gizmo-operator` }]);

    await expect(readExtensions(DEVELOPER)).rejects.toThrow("Only administrators");
  });
});
