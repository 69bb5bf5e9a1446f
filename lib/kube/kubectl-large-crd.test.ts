// A definition of the size and shape of prometheus-operator's Prometheus kind, through the real
// kubectl: lib/kube/crd/testdata/metricsservers.yaml (12,000+ lines, three versions, deep nesting,
// list maps, embedded resources, preserved fields, CEL rules) installs as it is (kubectl create,
// as such definitions are installed: client-side apply's annotation would exceed kube's 256 KiB),
// is established and explained, a realistic object of it is accepted with its printer columns, and
// a mistake deep inside is refused in kube's words. bench:crd-schema measures how long the schema
// work takes.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const TESTDATA = path.resolve("lib/kube/crd/testdata");

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  await createNamespace(ADMIN, { name: "monitoring", cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

describe("a prometheus-sized CustomResourceDefinition", () => {
  test("installs, is established and explained; its object is accepted and shown with its columns; a deep mistake is refused in kube's words", async () => {
    const created = await kube.kubectl(["create", "-f", path.join(TESTDATA, "metricsservers.yaml")], { as: "administrator" });
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("customresourcedefinition.apiextensions.k8s.io/metricsservers.monitoring.skylight.example created");
    const established = await kube.kubectl(["wait", "--for=condition=Established", "crd/metricsservers.monitoring.skylight.example", "--timeout=30s"], { as: "administrator" });
    expect(established.stdout).toContain("condition met");

    const explained = await kube.kubectl(["explain", "metricsservers.spec.containers.resources"], { as: "developer" });
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toMatch(/KIND:\s+MetricsServer/);
    expect(explained.stdout).toContain("limits");

    const applied = await kube.kubectl(["create", "-f", path.join(TESTDATA, "metricsserver.yaml")], { as: "developer" });
    expect(applied.stderr).toBe("");
    expect(applied.stdout.trim()).toBe("metricsserver.monitoring.skylight.example/main created");
    const table = await kube.kubectl(["get", "metricsservers", "-n", "monitoring"], { as: "developer" });
    expect(table.stdout).toMatch(/^NAME\s+VERSION\s+DESIRED/);
    expect(table.stdout).toMatch(/\nmain\s+v3\.1\.0\s+2\s/);

    const mistake = await kube.kubectl(["patch", "metricsserver", "main", "-n", "monitoring", "--type=json", "-p", '[{"op":"replace","path":"/spec/containers/0/resources/limits/memory","value":"lots"}]'], { as: "developer" });
    expect(mistake.stderr).toContain('spec.containers[0].resources.limits.memory: Invalid value: "lots": spec.containers[0].resources.limits.memory in body should match');
  });
});
