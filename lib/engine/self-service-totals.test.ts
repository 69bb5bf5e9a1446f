// A self-service template's per-user totals, held by the engine: namespace after namespace cannot
// add up past them (four namespaces do not give four times the maximum), simultaneous creates are
// decided one after the other, a deleted namespace gives its share back, and other users have
// totals of their own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { deleteNamespace, selfServiceNamespace } from "@/lib/engine/operations/namespace-operations";
import { readSelfServiceUsage } from "@/lib/engine/self-service-totals";
import { InvalidInputError } from "@/lib/errors";
import { CLUSTER, createHarness, waitFor, type Harness } from "@/lib/testing/engine-harness";

const ADMIN: OperationActor = { id: "totals-admin", username: "totals-admin", role: "administrator" };
let harness: Harness;

async function developer(username: string): Promise<OperationActor> {
  const id = `user-${username}`;
  await harness.pool.query(`INSERT INTO users (id, name, email, username, role, "updatedAt") VALUES ($1, $2, $3, $2, 'developer', now())`, [id, username, `${username}@skylight.test`]);
  await harness.pool.query(`INSERT INTO user_group_members (group_id, user_id) SELECT id, $1 FROM user_groups WHERE name = 'developers'`, [id]);
  return { id, username, role: "developer" };
}

const namespacesOf = async (user: OperationActor) =>
  (await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Namespace' AND spec->'permissions' @> $1::jsonb ORDER BY name`, [JSON.stringify([{ kind: "User", name: user.username }])])).rows.map(
    (row) => row.name,
  );

beforeAll(async () => {
  harness = await createHarness();
  harness.startEngine();
  await harness.pool.query(`INSERT INTO user_groups (name) VALUES ('developers')`);
  // At most 8 vCPUs and 16 GiB a namespace; 16 vCPUs, 64 GiB and 500 GiB of storage for all of one user's.
  await harness.pool.query(
    `INSERT INTO namespace_templates (cluster, default_cpu, default_memory_mib, default_storage_gib, max_cpu, max_memory_mib, per_user_cpu, per_user_memory_mib, per_user_storage_gib, groups)
     VALUES ($1, 4, 8192, 100, 8, 16384, 16, 65536, 500, '{developers}')`,
    [CLUSTER],
  );
});
afterAll(() => harness.stop());

describe("a template's total per user", () => {
  it("refuses the namespace that would take a user past it, naming the limit, the usage and the ask, and creates nothing", async () => {
    const dana = await developer("dana");
    await selfServiceNamespace(dana, { name: "dana-1", cluster: CLUSTER, limits: { cpu: 8 } }, harness.pool);
    await selfServiceNamespace(dana, { name: "dana-2", cluster: CLUSTER, limits: { cpu: 8 } }, harness.pool);
    const third = selfServiceNamespace(dana, { name: "dana-3", cluster: CLUSTER, limits: { cpu: 8 } }, harness.pool);
    await expect(third).rejects.toThrow(new InvalidInputError("limits.cpu", "CPU limit is over your total on test-cluster: you have used 16 of your 16 vCPUs and this namespace asks for 8 vCPUs."));
    await expect(third).rejects.toMatchObject({ field: "limits.cpu" });
    expect(await namespacesOf(dana)).toEqual(["dana-1", "dana-2"]);
    expect(await readSelfServiceUsage(harness.pool, dana.id, CLUSTER)).toEqual({ cpu: 16, memoryMiB: 16384, storageGiB: 200 });

    // Another developer has a total of their own, and memory and storage are held like CPU.
    const dev = await developer("dev");
    await expect(selfServiceNamespace(dev, { name: "dev-1", cluster: CLUSTER, limits: { cpu: 8 } }, harness.pool)).resolves.toBeTruthy();
    await expect(selfServiceNamespace(dev, { name: "dev-2", cluster: CLUSTER, limits: { storageGiB: 450 } }, harness.pool)).rejects.toThrow(
      "Storage limit is over your total on test-cluster: you have used 100 GiB of your 500 GiB and this namespace asks for 450 GiB.",
    );

    // A deleted namespace gives its share back once it is gone.
    await deleteNamespace(ADMIN, { name: "dana-2" }, harness.pool);
    await waitFor(async () => (await namespacesOf(dana)).length === 1, "dana-2 to be gone");
    await expect(selfServiceNamespace(dana, { name: "dana-3", cluster: CLUSTER, limits: { cpu: 8 } }, harness.pool)).resolves.toBeTruthy();
  });

  it("lets ten simultaneous creates past it only as far as it allows", async () => {
    const eve = await developer("eve");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) => selfServiceNamespace(eve, { name: `eve-${index}`, cluster: CLUSTER, limits: { cpu: 4 } }, harness.pool)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(4);
    for (const result of results.filter((candidate) => candidate.status === "rejected")) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ field: "limits.cpu", message: expect.stringMatching(/^CPU limit is over your total on test-cluster: you have used 16 of your 16 vCPUs/) });
    }
    expect((await readSelfServiceUsage(harness.pool, eve.id, CLUSTER)).cpu).toBe(16);
  });

  it("asks for a limit where the template's maximum leaves it open but a total per user is set", async () => {
    await harness.pool.query(`UPDATE namespace_templates SET default_cpu = NULL, max_cpu = NULL WHERE cluster = $1`, [CLUSTER]);
    const ann = await developer("ann");
    await expect(selfServiceNamespace(ann, { name: "ann-1", cluster: CLUSTER }, harness.pool)).rejects.toThrow(
      "CPU limit is required on test-cluster: your self-service namespaces there may total at most 16 vCPUs.",
    );
    expect(await namespacesOf(ann)).toEqual([]);
  });
});
