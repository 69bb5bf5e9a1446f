import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING } from "@/lib/auth/authorize";
import { createCluster } from "@/lib/engine/operations/cluster-operations";
import type { ClusterSpec } from "@/lib/engine/schemas";
import { ForbiddenError } from "@/lib/errors";
import { readNavigatorChildren } from "@/lib/inventory/navigator-reads";
import { CLUSTER, createHarness, OPERATOR, waitFor, type Harness } from "@/lib/testing/engine-harness";

const DEVELOPER = { id: "test-developer", username: "dev", role: "developer" as const };
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ hosts: 1 });
  harness.startEngine();
}, 60_000);
afterAll(() => harness.stop());

/** What a refused create must leave as it was: the clusters and the tasks. */
async function inventory() {
  const { rows } = await harness.pool.query<{ clusters: string[]; tasks: number }>(
    `SELECT (SELECT array_agg(name ORDER BY name) FROM resources WHERE kind = 'Cluster') AS clusters, (SELECT count(*)::int FROM tasks) AS tasks`,
  );
  return rows[0]!;
}

describe("Datacenter › New Cluster", () => {
  it("creates an empty cluster with DRS and HA on, as the seed's clusters, shown under its datacenter", async () => {
    const { object, taskId } = await createCluster(OPERATOR, { name: "real-cluster-01", datacenter: "dc-test" }, harness.pool);
    expect(object.spec).toEqual<ClusterSpec>({
      datacenter: "dc-test",
      drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 },
      ha: { enabled: true, hostFailuresToTolerate: 1 },
      overcommit: { cpu: 4, memory: 1.25 },
    });
    await waitFor(async () => (await harness.pool.query(`SELECT 1 FROM tasks WHERE id = $1 AND state = 'success'`, [taskId])).rows.length > 0, "the create task to complete");
    const { rows } = await harness.pool.query<{ uid: string; description: string }>(
      `SELECT (SELECT uid::text FROM resources WHERE kind = 'Datacenter' AND name = 'dc-test') AS uid, (SELECT description FROM tasks WHERE id = $1) AS description`,
      [taskId],
    );
    expect(rows[0]!.description).toBe("Create cluster real-cluster-01 in dc-test");
    const children = await readNavigatorChildren("hosts-and-clusters", rows[0]!.uid, EVERYTHING);
    expect(children?.nodes.map((node) => node.name)).toEqual([CLUSTER, "real-cluster-01"].sort());
  });

  it("creates a cluster with DRS or HA off when asked", async () => {
    const { object } = await createCluster(OPERATOR, { name: "lab-cluster", datacenter: "dc-test", drs: false, ha: false }, harness.pool);
    expect(object.spec).toMatchObject({ drs: { enabled: false }, ha: { enabled: false } });
  });

  it("refuses a bad name, a missing datacenter, a taken name and a developer, naming the field, and changes nothing", async () => {
    const before = await inventory();
    const refused = (input: { name: string; datacenter: string }) => createCluster(OPERATOR, input, harness.pool).then(() => null, (error: unknown) => error);
    expect(await refused({ name: "Real_Cluster", datacenter: "dc-test" })).toMatchObject({ field: "name", message: "Cluster name must be lowercase RFC 1123 labels separated by '.'" });
    expect(await refused({ name: "real-cluster-02", datacenter: "dc-nowhere" })).toMatchObject({ field: "datacenter", message: 'Datacenter "dc-nowhere" does not exist.' });
    expect(await refused({ name: CLUSTER, datacenter: "dc-test" })).toMatchObject({ field: "name", message: `Cluster "${CLUSTER}" already exists.` });
    await expect(createCluster(DEVELOPER, { name: "real-cluster-03", datacenter: "dc-test" }, harness.pool)).rejects.toThrow(ForbiddenError);
    expect(await inventory()).toEqual(before);
  });
});
