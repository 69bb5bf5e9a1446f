// The real kubectl creating namespaces through a self-service template: `kubectl create namespace`
// is held to the template's total per user as the console's New Namespace is, so namespace after
// namespace cannot add up past it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLUSTER } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  const { rows } = await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ('developers') RETURNING id`);
  await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, 'user-dev')`, [rows[0]!.id]);
  // 4 vCPUs a namespace by default, at most 8; at most 8 for all of one developer's namespaces.
  await kube.pool.query(`INSERT INTO namespace_templates (cluster, default_cpu, max_cpu, per_user_cpu, groups) VALUES ($1, 4, 8, 8, '{developers}')`, [CLUSTER]);
});
afterAll(async () => kube?.stopKube());

describe("kubectl create namespace, as a developer", () => {
  test("stops at the template's total per user, naming it, and creates nothing beyond it", async () => {
    for (const name of ["dev-a", "dev-b"]) expect((await kube.kubectl(["create", "namespace", name], { as: "developer" })).stderr).toBe("");
    const third = await kube.kubectl(["create", "namespace", "dev-c"], { as: "developer" });
    expect(third.code).not.toBe(0);
    expect(third.stderr).toContain('The Namespace "dev-c" is invalid: spec.limits.cpu: ');
    expect(third.stderr).toContain("CPU limit is over your total on test-cluster: you have used 8 of your 8 vCPUs and this namespace asks for 4 vCPUs.");
    const listed = await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "developer" });
    expect(listed.stdout.trim().split("\n")).toEqual(["namespace/default", "namespace/dev-a", "namespace/dev-b"]);
    // An administrator is not bound by a template.
    expect((await kube.kubectl(["create", "namespace", "admin-c"], { as: "administrator" })).stderr).toBe("");
  });
});
