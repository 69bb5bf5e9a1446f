// The creator of a self-served namespace deletes it, with the real kubectl and with the console's
// server action, as vSphere's self-service namespaces allow; someone else's namespace, one an
// administrator created, and one whose template forbids it are refused with kube's 403 and the
// reason. Deleting gives the namespace's share of the template's total per user back.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { deleteNamespace as deleteNamespaceAction } from "@/lib/actions/namespaces/delete-namespace";
import { createNamespace, selfServiceNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { getObject } from "@/lib/engine/object-store";
import type { NamespaceSpec } from "@/lib/engine/schemas";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

// Server actions read the session from the request's headers; the session behind them is real.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" as const };
const DEV = { id: "user-dev", username: "dev", role: "developer" as const };
const PASSWORD = "self-service-delete-password";

let kube: KubeHarness;
let groupId: string;
let eve: { kubeconfig: string };

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  kube.startEngine();
  ({ id: groupId } = (await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ('developers') RETURNING id`)).rows[0]!);
  eve = await kube.addUser("eve", "developer");
  for (const user of ["user-dev", "user-eve"]) await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, $2)`, [groupId, user]);
  // 4 vCPUs a namespace; at most 8 for all of one developer's namespaces: two of them fill it.
  await kube.pool.query(`INSERT INTO namespace_templates (cluster, default_cpu, max_cpu, per_user_cpu, groups) VALUES ($1, 4, 8, 8, '{developers}')`, [CLUSTER]);
});
afterAll(async () => kube?.stopKube());

const namespaceExists = async (name: string) => (await getObject(kube.pool, { kind: "Namespace", namespace: "", name })) !== null;
const gone = (name: string) => waitFor(async () => !(await namespaceExists(name)), `namespace ${name} to go`, 30_000);
const setOwnersMayDelete = (allowed: boolean) => kube.pool.query(`UPDATE namespace_templates SET owners_may_delete = $1 WHERE cluster = $2`, [allowed, CLUSTER]);

describe("kubectl delete namespace, by the developer who self-served it", () => {
  test("deletes it, and its share of the total per user comes back once it is gone", async () => {
    for (const name of ["dev-a", "dev-b"]) expect((await kube.kubectl(["create", "namespace", name], { as: "developer" })).stderr).toBe("");
    expect((await kube.kubectl(["create", "namespace", "dev-c"], { as: "developer" })).stderr).toContain("you have used 8 of your 8 vCPUs");

    const deleted = await kube.kubectl(["delete", "namespace", "dev-a", "--wait=false"], { as: "developer" });
    expect(deleted.stderr).toBe("");
    expect(deleted.stdout).toContain('namespace "dev-a" deleted');
    await gone("dev-a");

    expect((await kube.kubectl(["create", "namespace", "dev-c"], { as: "developer" })).stderr).toBe("");
    const listed = await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "developer" });
    expect(listed.stdout.trim().split("\n")).toEqual(["namespace/default", "namespace/dev-b", "namespace/dev-c"]);
  });

  test("refuses an owner who did not create it, with kube's 403 naming why, and keeps the namespace", async () => {
    const { object } = await getNamespace("dev-b");
    await setNamespacePermissions(DEV, { name: "dev-b", permissions: [...(object.spec.permissions ?? []), { kind: "User", name: "eve", role: "owner" }] });
    const refused = await kube.kubectl(["delete", "namespace", "dev-b", "--wait=false"], { kubeconfig: eve.kubeconfig });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('namespaces "dev-b" is forbidden: User "eve" cannot delete resource "namespaces" in API group "" at the cluster scope: ');
    expect(refused.stderr).toContain("Only administrators and its creator can delete namespace dev-b: someone else created it through self-service.");
    expect(await namespaceExists("dev-b")).toBe(true);
  });

  test("refuses the owner of a namespace an administrator created", async () => {
    await createNamespace(ADMIN, { name: "given-to-dev", cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "owner" }] });
    const response = await kube.request("DELETE", "/api/v1/namespaces/given-to-dev", { as: "developer" });
    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
      message: expect.stringContaining("Only administrators can delete namespace given-to-dev: it was not created through self-service."),
    });
    expect(await namespaceExists("given-to-dev")).toBe(true);
  });

  test("refuses while the template forbids owners to delete, and deletes once it allows again", async () => {
    await setOwnersMayDelete(false);
    try {
      const refused = await kube.kubectl(["delete", "namespace", "dev-b", "--wait=false"], { as: "developer" });
      expect(refused.stderr).toContain("The self-service template of test-cluster does not let owners delete their namespaces; ask an administrator to delete dev-b.");
      expect((await getNamespace("dev-b")).object.deletionTimestamp).toBeNull();
      // An administrator is not bound by the template.
      expect((await kube.kubectl(["delete", "namespace", "dev-c", "--wait=false"], { as: "administrator" })).stderr).toBe("");
    } finally {
      await setOwnersMayDelete(true);
    }
    expect((await kube.kubectl(["delete", "namespace", "dev-b", "--wait=false"], { as: "developer" })).stderr).toBe("");
    await gone("dev-b");
  });
});

describe("Delete Namespace, the console's server action", () => {
  test("deletes the signed-in developer's self-served namespace, and refuses another's naming why", async () => {
    const { id } = await createUser("system", { username: "dora", name: "Dora", role: "developer", password: PASSWORD });
    await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, $2)`, [groupId, id]);
    await selfServiceNamespace({ id, username: "dora", role: "developer" }, { name: "dora-team", cluster: CLUSTER });
    await selfServiceNamespace(DEV, { name: "dev-d", cluster: CLUSTER });
    request.headers = await signInAs("dora", PASSWORD);

    const refused = await deleteNamespaceAction({ name: "dev-d" });
    expect(refused?.serverError?.message).toBe("You have no access to namespace dev-d.");
    expect((await getNamespace("dev-d")).object.deletionTimestamp).toBeNull();

    const done = await deleteNamespaceAction({ name: "dora-team" });
    expect(done?.serverError).toBeUndefined();
    expect(done?.data?.taskId).toEqual(expect.any(String));
    await gone("dora-team");
  });
});

async function getNamespace(name: string) {
  const object = await getObject<NamespaceSpec, unknown>(kube.pool, { kind: "Namespace", namespace: "", name });
  if (!object) throw new Error(`namespace ${name} is missing`);
  return { object };
}
