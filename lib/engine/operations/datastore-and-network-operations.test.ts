// Datastore › Refresh Capacity Information and Network › Edit Settings, through the engine with
// the simulator: what each changes, the task each leaves, and what each refuses (naming the field,
// changing nothing).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { refreshDatastoreCapacity } from "@/lib/engine/operations/datastore-operations";
import { configureNetwork } from "@/lib/engine/operations/network-operations";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { createHarness, DATASTORE, OPERATOR, waitFor, type Harness } from "@/lib/testing/engine-harness";

const DEVELOPER = { id: "test-developer", username: "dev", role: "developer" as const };
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness({ hosts: 1 });
  for (const [name, portGroup, vlanId] of [["net-default", "VM Network", 0], ["net-120", "dvPG-App-120", 120]] as const) {
    await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name, spec: { datacenter: "dc-test", portGroup, vlanId } });
  }
  harness.startEngine();
}, 60_000);
afterAll(() => harness.stop());

const taskState = async (id: string) => (await harness.pool.query<{ state: string }>(`SELECT state FROM tasks WHERE id = $1`, [id])).rows[0]?.state;
const network = async (name: string) =>
  (await harness.pool.query<{ spec: { portGroup: string; vlanId: number }; resource_version: string }>(`SELECT spec, resource_version::text FROM resources WHERE kind = 'Network' AND name = $1`, [name])).rows[0]!;

describe("Datastore › Refresh Capacity Information", () => {
  it("has the datastore observed again and finishes its task; a developer may not ask", async () => {
    await harness.pool.query(`UPDATE resources SET status = status - 'freeGiB' WHERE kind = 'Datastore' AND name = $1`, [DATASTORE]);
    const { taskId } = await refreshDatastoreCapacity(OPERATOR, { name: DATASTORE }, harness.pool);
    await waitFor(async () => (await taskState(taskId)) === "success", "the refresh task to succeed");
    const { rows } = await harness.pool.query<{ free: number | null }>(`SELECT (status->>'freeGiB')::int AS free FROM resources WHERE kind = 'Datastore' AND name = $1`, [DATASTORE]);
    expect(rows[0]!.free).toBeGreaterThan(0);
    await expect(refreshDatastoreCapacity(DEVELOPER, { name: DATASTORE }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("Network › Edit Settings", () => {
  it("changes the port group and VLAN ID, with a task that is done at once", async () => {
    const { taskId, object } = await configureNetwork(OPERATOR, { name: "net-120", portGroup: "dvPG-App-121", vlanId: 121, expectedResourceVersion: (await network("net-120")).resource_version }, harness.pool);
    expect(object.spec).toMatchObject({ datacenter: "dc-test", portGroup: "dvPG-App-121", vlanId: 121 });
    expect(await taskState(taskId)).toBe("success");
  });

  it("refuses a VLAN ID out of range, a name with a slash, renaming the default port group and a stale form; nothing changes", async () => {
    const before = await network("net-120");
    const edit = (name: string, change: { portGroup?: string; vlanId?: number; expectedResourceVersion?: string }) =>
      configureNetwork(OPERATOR, { name, portGroup: before.spec.portGroup, vlanId: before.spec.vlanId, expectedResourceVersion: before.resource_version, ...change }, harness.pool);
    await expect(edit("net-120", { vlanId: 4095 })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["vlanId"], message: "VLAN ID must be 0 (none) to 4094." })] });
    await expect(edit("net-120", { portGroup: "a/b" })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["portGroup"] })] });
    await expect(edit("net-120", { expectedResourceVersion: "1" })).rejects.toBeInstanceOf(ConflictError);
    const defaultNetwork = await network("net-default");
    await expect(
      configureNetwork(OPERATOR, { name: "net-default", portGroup: "Renamed", vlanId: 0, expectedResourceVersion: defaultNetwork.resource_version }, harness.pool),
    ).rejects.toMatchObject({ field: "portGroup", message: expect.stringContaining('"VM Network" is datacenter dc-test\'s default port group') });
    await expect(configureNetwork(DEVELOPER, { name: "net-120", portGroup: "x", vlanId: 1, expectedResourceVersion: before.resource_version }, harness.pool)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await network("net-120")).toEqual(before);
    expect((await network("net-default")).spec.portGroup).toBe("VM Network");
  });
});
