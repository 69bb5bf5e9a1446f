// The real kubectl as a developer who takes a namespace name: who sees an event, or a removal a
// watch reads from the change log, is decided by the identity of its object and of the namespace it
// lived in, never by a namespace name. A developer who takes the name of an administrator's deleted
// namespace sees none of what happened there before, and one reading "default" (which everyone may,
// and where the events of hosts and clusters are listed) sees none of theirs.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLUSTER, DATASTORE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  kube.startEngine();
  const { rows } = await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ('developers') RETURNING id`);
  await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, 'user-dev')`, [rows[0]!.id]);
  await kube.pool.query(`INSERT INTO namespace_templates (cluster, default_cpu, max_cpu, groups) VALUES ($1, 4, 8, '{developers}')`, [CLUSTER]);
});
afterAll(async () => kube?.stopKube());

interface EventList {
  items: { metadata: { name: string; namespace: string }; involvedObject: { kind: string; name: string; uid?: string }; message: string }[];
}

async function events(args: string[], as: "administrator" | "developer"): Promise<EventList["items"]> {
  const result = await kube.kubectl(["get", "events", ...args, "-o", "json"], { as });
  expect(result.stderr).toBe("");
  return (JSON.parse(result.stdout) as EventList).items;
}

const vm = (namespace: string, name = "ledger-01") => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    budget: secret
spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: ${DATASTORE}
  powerState: PoweredOff
`;

describe("kubectl shows a developer only the events of what they may see", () => {
  test("a namespace re-created under a deleted one's name lists none of its events, and none is found by name", async () => {
    const created = await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: finance\nspec:\n  cluster: ${CLUSTER}\n` });
    expect(created.stderr).toBe("");
    expect((await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: vm("finance") })).stderr).toBe("");
    expect((await kube.kubectl(["label", "namespace", "finance", "budget=secret"], { as: "administrator" })).stderr).toBe("");
    const deleted = await kube.kubectl(["delete", "namespace", "finance", "--timeout=60s"], { as: "administrator", timeoutMs: 70_000 });
    expect(deleted.stderr).toBe("");
    // Events of a namespaced object list in its namespace; those of the Namespace itself in "default".
    const ofFinance = (event: EventList["items"][number]) => event.metadata.namespace === "finance" || (event.involvedObject.kind === "Namespace" && event.involvedObject.name === "finance");
    const before = (await events(["-A"], "administrator")).filter(ofFinance);
    expect(new Set(before.map((event) => event.involvedObject.name))).toEqual(new Set(["finance", "ledger-01"]));

    const taken = await kube.kubectl(["create", "namespace", "finance"], { as: "developer" });
    expect(taken.stderr).toBe("");
    expect(await events(["-n", "finance"], "developer")).toEqual([]);
    const mine = (await events(["-A"], "developer")).filter(ofFinance);
    expect(mine.map((event) => event.message)).toEqual(["dev created namespace finance on test-cluster (self-service)"]);
    for (const old of before) {
      const got = await kube.kubectl(["get", "event", old.metadata.name, "-n", old.metadata.namespace], { as: "developer" });
      expect(got.stderr.trim()).toMatch(new RegExp(`^Error from server \\((NotFound|Forbidden)\\): events "${old.metadata.name.replace(/\./g, "\\.")}"`));
    }
    const inFinance = before.find((event) => event.metadata.namespace === "finance")!;
    const got = await kube.kubectl(["get", "event", inFinance.metadata.name, "-n", "finance"], { as: "developer" });
    expect(got.stderr.trim()).toBe(`Error from server (NotFound): events "${inFinance.metadata.name}" not found`);
    // The administrator still reads the name's whole history.
    expect((await events(["-A"], "administrator")).filter(ofFinance).length).toBe(before.length + 1);
  });

  test('reading the namespace "default" does not open the events of hosts and clusters', async () => {
    expect((await kube.kubectl(["patch", "host", "esx-1.test", "--type=merge", "-p", '{"spec":{"maintenanceMode":true}}'])).stderr).toBe("");
    await waitFor(async () => (await events(["-n", "default"], "administrator")).some((event) => event.involvedObject.kind === "Host"), "a host's event");
    expect((await kube.kubectl(["get", "namespace", "default", "-o", "name"], { as: "developer" })).stdout).toBe("namespace/default\n");
    const listed = await events(["-n", "default"], "developer");
    expect(listed.map((event) => `${event.involvedObject.kind}/${event.involvedObject.name}`)).not.toContain("Host/esx-1.test");
    expect((await events(["-A"], "developer")).some((event) => event.involvedObject.kind === "Host")).toBe(false);
    const hostEvent = (await events(["-n", "default"], "administrator")).find((event) => event.involvedObject.kind === "Host")!;
    const got = await kube.kubectl(["get", "event", hostEvent.metadata.name, "-n", "default"], { as: "developer" });
    expect(got.stderr.trim()).toBe(`Error from server (NotFound): events "${hostEvent.metadata.name}" not found`);
  });

  test("a watch from before the old namespace went brings none of its removals, or of the namespace itself", async () => {
    expect((await kube.kubectl(["create", "namespace", "mine"], { as: "developer" })).stderr).toBe("");
    const since = JSON.parse((await kube.kubectl(["get", "namespace", "mine", "-o", "json"], { as: "developer" })).stdout).metadata.resourceVersion as string;
    expect((await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payroll\nspec:\n  cluster: ${CLUSTER}\n` })).stderr).toBe("");
    expect((await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: vm("payroll", "salaries") })).stderr).toBe("");
    expect((await kube.kubectl(["delete", "namespace", "payroll", "--timeout=60s"], { as: "administrator", timeoutMs: 70_000 })).stderr).toBe("");
    expect((await kube.kubectl(["create", "namespace", "payroll"], { as: "developer" })).stderr).toBe("");
    expect((await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: vm("payroll", "mine-01") })).stderr).toBe("");

    const watch = async (path: string) => {
      const result = await kube.kubectl(["get", "--raw", `${path}?watch=1&resourceVersion=${since}&timeoutSeconds=2`], { as: "developer" });
      expect(result.stderr).toBe("");
      return result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string; uid: string } } });
    };
    const vms = await watch("/apis/vmoperator.vmware.com/v1alpha3/namespaces/payroll/virtualmachines");
    expect(vms.map((event) => event.object.metadata.name)).not.toContain("salaries");
    expect(vms.map((event) => `${event.type} ${event.object.metadata.name}`)).toContain("ADDED mine-01");
    const namespaces = await watch("/api/v1/namespaces");
    const payroll = namespaces.filter((event) => event.object.metadata.name === "payroll");
    expect(payroll.map((event) => event.type)).not.toContain("DELETED");
    expect(new Set(payroll.map((event) => event.object.metadata.uid)).size).toBe(1);
  });
});
