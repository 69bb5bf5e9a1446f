// A @kubernetes/client-node informer on Skylight's VMs: it lists, watches, survives the API
// server going away and coming back (resuming from its last resourceVersion, without listing
// again), and sees every creation and deletion exactly once, ending with the database's state.
import { get } from "node:https";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createVirtualMachine, deleteVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { compactChanges } from "@/lib/kube/compaction";
import { startKubeApiServer } from "@/lib/kube/kube-server";
import { NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const PORT = 6543;
let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: PORT });
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

interface VmObject extends k8s.KubernetesObject {
  status?: { powerState?: string };
}

async function databaseVms(): Promise<Map<string, string>> {
  const { rows } = await kube.pool.query<{ name: string; version: string }>(`SELECT name, resource_version::text AS version FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1`, [NAMESPACE]);
  return new Map(rows.map((row) => [row.name, row.version]));
}

const create = (name: string) => createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec() }, kube.pool);
const remove = (name: string) => deleteVirtualMachine(OPERATOR, { namespace: NAMESPACE, name }, kube.pool);

test("an informer sees every change exactly once, across a dropped connection", async () => {
  await create("before-1");
  await create("before-2");

  const config = new k8s.KubeConfig();
  config.loadFromFile(kube.kubeconfig.operator);
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  let lists = 0;
  const path = `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines`;
  const informer = k8s.makeInformer<VmObject>(config, path, async () => {
    lists++;
    return (await api.listNamespacedCustomObject({ group: "vmoperator.vmware.com", version: "v1alpha3", namespace: NAMESPACE, plural: "virtualmachines" })) as k8s.KubernetesListObject<VmObject>;
  });
  const seen: { type: string; name: string; version: string }[] = [];
  const record = (type: string) => (object: VmObject) => seen.push({ type, name: object.metadata!.name!, version: object.metadata!.resourceVersion! });
  informer.on("add", record("add"));
  informer.on("update", record("update"));
  informer.on("delete", record("delete"));
  let errors = 0;
  // As client-go's reflector does: after an error, start again (from the last resourceVersion).
  informer.on("error", () => {
    errors++;
    setTimeout(() => void informer.start(), 200);
  });
  await informer.start();

  const cacheMatchesDatabase = async () => {
    const expected = await databaseVms();
    const cached = new Map(informer.list(NAMESPACE).map((object) => [object.metadata!.name!, object.metadata!.resourceVersion!]));
    return cached.size === expected.size && [...expected].every(([name, version]) => cached.get(name) === version);
  };

  try {
    await create("during-1");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "before-1", powerState: "PoweredOff" }, kube.pool);
    await remove("before-2");
    await waitFor(async () => !(await databaseVms()).has("before-2"), "before-2 to be removed through its finalizer");
    await waitFor(cacheMatchesDatabase, "the informer to catch up", 20_000, async () => ({ seen, cached: informer.list(NAMESPACE).map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`), database: [...(await databaseVms())] }));

    // The API server goes away; changes keep happening; a new server takes the same port.
    await kube.server.close();
    await create("while-down");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "during-1", powerState: "PoweredOff" }, kube.pool);
    await remove("before-1");
    await waitFor(async () => errors > 0, "the informer to notice the dropped connection");
    kube.server = await startKubeApiServer({ pool: kube.pool, connectionString: process.env.DATABASE_URL!, port: PORT, host: "127.0.0.1", hostnames: [] });

    await create("after");
    await waitFor(async () => !(await databaseVms()).has("before-1"), "before-1 to be removed through its finalizer");
    await waitFor(cacheMatchesDatabase, "the informer to resume and catch up", 30_000, async () => ({ seen, database: [...(await databaseVms())] }));

    expect(lists).toBe(1);
    const count = (type: string, name: string) => seen.filter((event) => event.type === type && event.name === name).length;
    for (const name of ["before-1", "before-2", "during-1", "while-down", "after"]) expect(count("add", name), `adds of ${name}`).toBe(1);
    for (const name of ["before-2", "before-1"]) expect(count("delete", name), `deletes of ${name}`).toBe(1);
    const versions = seen.map((event) => `${event.name}@${event.version}`);
    expect(new Set(versions).size).toBe(versions.length);
    // Per object, versions only grow: nothing arrives out of order.
    for (const name of new Set(seen.map((event) => event.name))) {
      const mine = seen.filter((event) => event.name === name && event.type !== "delete").map((event) => BigInt(event.version));
      expect(mine).toEqual([...mine].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  } finally {
    await informer.stop();
  }
}, 90_000);

test("a watch from a compacted resourceVersion gets 410 Gone", async () => {
  await create("compacted");
  await remove("compacted");
  await waitFor(async () => !(await databaseVms()).has("compacted"), "the VM to be removed");
  await kube.pool.query(`UPDATE resource_changes SET recorded_at = now() - interval '1 hour'`);
  await compactChanges(kube.pool, 60);

  const body = await new Promise<string>((resolve, reject) => {
    const request = get(
      `https://127.0.0.1:${kube.server.port}/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines?watch=true&resourceVersion=1`,
      { ca: kube.server.certificateAuthorityPem, headers: { Authorization: `Bearer ${kube.tokens.operator}` } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve(text));
      },
    );
    request.on("error", reject);
  });
  const event = JSON.parse(body.trim()) as { type: string; object: { code: number; reason: string; message: string } };
  expect(event.type).toBe("ERROR");
  expect(event.object).toMatchObject({ code: 410, reason: "Expired" });
  expect(event.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
});
