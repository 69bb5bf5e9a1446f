// The YAML tab's Apply on a custom resource goes through the Kubernetes API's update path, so its
// definition's schema decides as it does for kubectl: an editor's valid change is stored (fields at
// the top level kept, generation bumped), a value the schema refuses is refused in kube's words and
// changes nothing, a stale editor gets a conflict, and a viewer is refused. Real server actions,
// signed in for real, with the engine establishing the definition.
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyObjectYaml } from "@/lib/actions/objects/apply-object-yaml";
import { createCustomResourceDefinition } from "@/lib/engine/operations/custom-resource-definition-operations";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { readKubeObject } from "@/lib/kube/kube-objects";
import { CLUSTER, createHarness, waitFor, type Harness } from "@/lib/testing/engine-harness";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";
import { conditionIs, type DefinitionSpec, type DefinitionStatus } from "@/lib/vocabulary/custom-resource-definition";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const TEAM = "gadgets";
const KIND = "Gadget.example.com" as const;
const key = { kind: KIND, namespace: TEAM, name: "g1" };

const definition: DefinitionSpec = {
  group: "example.com",
  names: { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" },
  scope: "Namespaced",
  versions: [
    {
      name: "v1",
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: { type: "object", properties: { replicas: { type: "integer", minimum: 1, maximum: 10 } } },
            settings: { type: "object", additionalProperties: { type: "string" } },
          },
        },
      },
    },
  ],
};

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
  harness.startEngine();
  for (const username of ["yara", "vic"]) await createUser("system", { username, name: username, role: "developer", password: "gadget-password" });
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "yara", role: "edit" }, { kind: "User", name: "vic", role: "view" }] }, harness.pool);
  await createCustomResourceDefinition(ADMIN, { name: "gadgets.example.com", labels: {}, annotations: {}, spec: definition }, harness.pool);
  await waitFor(async () => {
    const { rows } = await harness.pool.query<{ status: DefinitionStatus }>(`SELECT status FROM resources WHERE kind = 'CustomResourceDefinition' AND name = 'gadgets.example.com'`);
    return conditionIs(rows[0]?.status, "Established");
  }, "the definition to be established");
  await harness.pool.query(
    `INSERT INTO resources (api_version, kind, namespace, name, spec) VALUES ('example.com/v1', $1, $2, 'g1', '{"spec": {"replicas": 1}, "settings": {"mode": "fast"}}')`,
    [KIND, TEAM],
  );
});
afterAll(() => harness?.stop());

const current = async () => (await readKubeObject(harness.pool, key))! as unknown as Record<string, unknown> & { metadata: { resourceVersion: string; generation: number }; spec: { replicas: number } };
const apply = (opened: object, edited: object) => applyObjectYaml({ ...key, openedYaml: stringify(opened), yaml: stringify(edited) });

describe("the YAML tab on a custom resource", () => {
  it("stores an editor's change, refuses what the schema refuses in kube's words, and a stale editor gets a conflict", async () => {
    request.headers = await signInAs("yara", "gadget-password");
    const opened = await current();
    expect(opened).toMatchObject({ apiVersion: "example.com/v1", kind: "Gadget", spec: { replicas: 1 }, settings: { mode: "fast" } });

    const saved = await apply(opened, { ...opened, spec: { replicas: 3 }, settings: { mode: "slow" } });
    expect(saved?.data).toMatchObject({ status: "saved" });
    const after = await current();
    expect(after).toMatchObject({ kind: "Gadget", spec: { replicas: 3 }, settings: { mode: "slow" } });
    expect(after.metadata.generation).toBe(opened.metadata.generation + 1);

    const refused = await apply(after, { ...after, spec: { replicas: 20 } });
    expect(refused?.serverError?.message).toContain("spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10");
    expect((await current()).metadata.resourceVersion).toBe(after.metadata.resourceVersion);

    // Opened before the last change: Apply is a conflict, and the newer value stays.
    const stale = await apply(opened, { ...opened, spec: { replicas: 5 } });
    expect(stale?.data).toMatchObject({ status: "conflict" });
    expect((await current()).spec.replicas).toBe(3);
  });

  it("refuses a viewer", async () => {
    request.headers = await signInAs("vic", "gadget-password");
    const opened = await current();
    const refused = await apply(opened, { ...opened, spec: { replicas: 2 } });
    expect(refused?.serverError?.message).toMatch(/can view namespace gadgets but not change it/);
    expect((await current()).spec.replicas).toBe(3);
  });
});
