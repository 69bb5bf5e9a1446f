// What the New Virtual Machine wizard offers, read from a real database: only the classes the
// namespace allows, smallest first (CPUs, then memory); a class the namespace's remaining CPU or
// memory cannot hold carries admission's reason; opened from a cluster, only that cluster's
// namespaces. The engine still refuses, naming the field, a class the namespace does not allow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { createNamespace, setNamespacePermissions, updateNamespace } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { InvalidInputError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { readNewVmChoices } from "@/lib/inventory/new-vm-choices";
import { CLUSTER, createHarness, NAMESPACE, OPERATOR, vmSpec, type Harness } from "@/lib/testing/engine-harness";

const ADMIN: OperationActor = { id: "test-admin", username: "admin", role: "administrator" };
const DEVELOPER: OperationActor = { id: "test-dev", username: "dev", role: "developer" };
const ALLOWED = ["best-effort-large", "guaranteed-small", "best-effort-xsmall", "best-effort-medium", "best-effort-small", "best-effort-2xlarge"];
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
  await harness.pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ('test-dev', 'dev', 'dev@skylight.test', 'dev', 'developer', now())`);
  await updateNamespace(ADMIN, { name: NAMESPACE, limits: { cpu: 8, memoryMiB: 16 * 1024 }, vmClasses: ALLOWED }, harness.pool);
  await setNamespacePermissions(ADMIN, { name: NAMESPACE, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, harness.pool);
  // 2 vCPUs and 8 GiB of the namespace's 8 vCPUs and 16 GiB in use.
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "running", spec: vmSpec({ className: "best-effort-medium" }) }, harness.pool);
});
afterAll(() => harness?.stop());

describe("the New Virtual Machine wizard's choices", () => {
  it("offers only the namespace's classes, smallest first, and says why those its remaining quota cannot hold are held back", async () => {
    const { classes } = await readNewVmChoices(DEVELOPER, NAMESPACE);
    expect(classes.map(({ name, cpus, memoryMiB, shortfall }) => [name, cpus, memoryMiB / 1024, shortfall])).toEqual([
      ["best-effort-xsmall", 2, 2, null],
      ["best-effort-small", 2, 4, null],
      ["guaranteed-small", 2, 4, null],
      ["best-effort-medium", 2, 8, null],
      ["best-effort-large", 4, 16, "needs 16 GiB memory, 8 GiB left of 16 GiB"],
      ["best-effort-2xlarge", 8, 64, "needs 8 vCPUs, 6 vCPUs left of 8 vCPUs"],
    ]);
  });

  it("holds nothing back in a namespace without limits", async () => {
    await updateNamespace(ADMIN, { name: NAMESPACE, limits: {}, vmClasses: ALLOWED }, harness.pool);
    try {
      expect((await readNewVmChoices(DEVELOPER, NAMESPACE)).classes.every((vmClass) => vmClass.shortfall === null)).toBe(true);
    } finally {
      await updateNamespace(ADMIN, { name: NAMESPACE, limits: { cpu: 8, memoryMiB: 16 * 1024 }, vmClasses: ALLOWED }, harness.pool);
    }
  });

  it("offers only the namespaces of the cluster it was opened from", async () => {
    await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Cluster, kind: "Cluster", namespace: "", name: "other-cluster", spec: { datacenter: "dc-test" } });
    await createNamespace(ADMIN, { name: "elsewhere", cluster: "other-cluster" }, harness.pool);
    expect((await readNewVmChoices(OPERATOR, null)).namespaces.map((namespace) => namespace.name)).toEqual([NAMESPACE, "elsewhere"]);
    expect(await readNewVmChoices(OPERATOR, null, CLUSTER)).toMatchObject({ namespaces: [{ name: NAMESPACE, cluster: CLUSTER }] });
    expect(await readNewVmChoices(OPERATOR, null, "other-cluster")).toMatchObject({ namespaces: [{ name: "elsewhere", cluster: "other-cluster" }] });
  });

  it("is only advice: a developer sending a class the namespace does not allow is refused beside spec.className, and nothing is created", async () => {
    const refusal = await createVirtualMachine(DEVELOPER, { namespace: NAMESPACE, name: "sneaky", spec: vmSpec({ className: "guaranteed-8xlarge" }) }, harness.pool).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidInputError);
    expect(refusal).toMatchObject({ field: "spec.className", message: expect.stringContaining(`VM class guaranteed-8xlarge is not allowed in namespace ${NAMESPACE}; it allows `) });
    const { rowCount } = await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = 'sneaky'`);
    expect(rowCount).toBe(0);
  });
});
