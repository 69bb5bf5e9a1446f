// The real kubectl, as an attacker with a developer's token would use it: the engine's own
// metadata (skylight.io/ labels and annotations: the key a renamed VM had, the VM a clone copies,
// the host a VM was asked onto) cannot be set by a client on create, annotate, label, patch or
// server-side apply; a replace or an apply that leaves it out keeps it; and a VM's datastore must
// be one its namespace's cluster mounts.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, convergedVm, NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;
let victimUid: string;
const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
/** The developer's own namespace; the victim VM is in the harness's namespace, which the developer cannot see. */
const DEV_SPACE = "dev-space";

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6587 });
  // Another cluster's datastore, which the test cluster's hosts do not mount.
  await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS.Datastore, kind: "Datastore", namespace: "", name: "seattle-vsan", labels: { "skylight.io/cluster": "seattle-cluster" }, spec: { datacenter: "dc-test" } });
  kube.startEngine();
  await createNamespace(ADMIN, { name: DEV_SPACE, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  const { object } = await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "victim", spec: vmSpec() }, kube.pool);
  victimUid = object.uid;
  await convergedVm(kube.pool, "victim", "PoweredOn");
});
afterAll(async () => kube?.stopKube());

const vm = (name: string, metadata = "", storageClass = "test-vsan") => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${DEV_SPACE}
${metadata}spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: ${storageClass}
  powerState: PoweredOn
`;

async function metadataOf(name: string) {
  const result = await kube.kubectl(["get", "vm", name, "-n", DEV_SPACE, "-o", "json"], { as: "developer" });
  expect(result.stderr).toBe("");
  return (JSON.parse(result.stdout) as { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } }).metadata;
}

const engineOwned = (entries: Record<string, string> = {}) => Object.fromEntries(Object.entries(entries).filter(([key]) => key.startsWith("skylight.io/")));

describe("metadata only the engine writes", () => {
  test("a developer's create naming skylight.io/renamed-from, clone-of or requested-host, or a skylight.io/ label, is refused naming the field, and creates nothing", async () => {
    const attempts = [
      ["takeover", `  annotations:\n    skylight.io/renamed-from: ${NAMESPACE}/victim\n`, "metadata.annotations.skylight.io/renamed-from"],
      ["copycat", `  annotations:\n    skylight.io/clone-of: ${victimUid}\n`, "metadata.annotations.skylight.io/clone-of"],
      ["squatter", "  annotations:\n    skylight.io/requested-host: esx-1.test\n", "metadata.annotations.skylight.io/requested-host"],
      ["impostor", `  labels:\n    skylight.io/namespace: ${NAMESPACE}\n`, "metadata.labels.skylight.io/namespace"],
    ] as const;
    for (const [name, metadata, field] of attempts) {
      const created = await kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm(name, metadata) });
      expect(created.code).not.toBe(0);
      expect(created.stderr).toContain(`The VirtualMachine "${name}" is invalid: ${field}: `);
      expect(created.stderr).toContain("labels and annotations under skylight.io/ are written only by Skylight's engine");
      expect((await kube.kubectl(["get", "vm", name, "-n", DEV_SPACE], { as: "developer" })).stderr).toContain("NotFound");
    }
    // The victim's VM is still its own, on its host, running.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await kube.provider.findVm(`${NAMESPACE}/victim`)).toMatchObject({ powerState: "PoweredOn" });
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS count FROM sim_vms WHERE owner_key LIKE $1`, [`${DEV_SPACE}/%`]);
    expect(rows[0].count).toBe(0);
  });

  test("annotate, label, patch and server-side apply that add or change one are refused; a replace or apply that leaves them out keeps them", async () => {
    expect((await kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("mine", "  labels:\n    app: web\n") })).stderr).toBe("");
    await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM resources WHERE name = 'mine' AND status->>'powerState' = 'PoweredOn' AND NOT annotations ? 'skylight.io/create-pending'`)).rowCount, "mine to run");
    const before = await metadataOf("mine");
    expect(engineOwned(before.labels)).toEqual({ "skylight.io/cluster": CLUSTER });

    const refusals: [string[], string][] = [
      [["annotate", "vm", "mine", "-n", DEV_SPACE, "skylight.io/requested-host=esx-1.test"], "metadata.annotations.skylight.io/requested-host"],
      [["annotate", "vm", "mine", "-n", DEV_SPACE, `skylight.io/renamed-from=${NAMESPACE}/victim`], "metadata.annotations.skylight.io/renamed-from"],
      [["label", "vm", "mine", "-n", DEV_SPACE, "--overwrite", "skylight.io/cluster=seattle-cluster"], "metadata.labels.skylight.io/cluster"],
      [["patch", "vm", "mine", "-n", DEV_SPACE, "--type=merge", "-p", `{"metadata":{"annotations":{"skylight.io/clone-of":"${victimUid}"}}}`], "metadata.annotations.skylight.io/clone-of"],
      [["patch", "vm", "mine", "-n", DEV_SPACE, "--type=json", "-p", '[{"op":"add","path":"/metadata/labels/skylight.io~1template","value":"true"}]'], "metadata.labels.skylight.io/template"],
    ];
    for (const [args, field] of refusals) {
      const refused = await kube.kubectl(args, { as: "developer" });
      expect(refused.code, args.join(" ")).not.toBe(0);
      expect(refused.stderr).toContain(`The VirtualMachine "mine" is invalid: ${field}: `);
    }
    const changed = await kube.kubectl(["label", "vm", "mine", "-n", DEV_SPACE, "--overwrite", "skylight.io/cluster=seattle-cluster"], { as: "developer" });
    expect(changed.stderr).toContain(`skylight.io/cluster cannot be set by a client (it is "${CLUSTER}")`);
    const applied = await kube.kubectl(["apply", "--server-side", "-f", "-"], { as: "developer", input: vm("mine", `  annotations:\n    skylight.io/requested-host: esx-2.test\n`) });
    expect(applied.stderr).toContain('The VirtualMachine "mine" is invalid: metadata.annotations.skylight.io/requested-host: ');

    // A replace from a file without them keeps them; the object read back applies unchanged.
    const current = JSON.parse((await kube.kubectl(["get", "vm", "mine", "-n", DEV_SPACE, "-o", "json"], { as: "developer" })).stdout) as { metadata: { labels: Record<string, string> } };
    delete current.metadata.labels["skylight.io/cluster"];
    current.metadata.labels.tier = "gold";
    const replaced = await kube.kubectl(["replace", "-f", "-"], { as: "developer", input: JSON.stringify(current) });
    expect(replaced.stderr).toBe("");
    const yaml = (await kube.kubectl(["get", "vm", "mine", "-n", DEV_SPACE, "-o", "yaml"], { as: "developer" })).stdout;
    const roundTrip = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: yaml });
    expect(roundTrip.code, roundTrip.stderr).toBe(0);
    expect(roundTrip.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/mine configured");
    const after = await metadataOf("mine");
    expect(after.labels).toEqual({ app: "web", tier: "gold", "skylight.io/cluster": CLUSTER });
    expect(engineOwned(after.annotations)).toEqual({});
  });

  test("a namespace's skylight.io/ labels and annotations are the engine's too; its cluster label may only name the cluster it is created on", async () => {
    const annotated = await kube.kubectl(["annotate", "namespace", DEV_SPACE, "skylight.io/deleted-by=dana"], { as: "administrator" });
    expect(annotated.stderr).toContain(`The Namespace "${DEV_SPACE}" is invalid: metadata.annotations.skylight.io/deleted-by: `);
    const labelled = await kube.kubectl(["label", "namespace", DEV_SPACE, "skylight.io/template=true"], { as: "administrator" });
    expect(labelled.stderr).toContain(`The Namespace "${DEV_SPACE}" is invalid: metadata.labels.skylight.io/template: `);
    const created = await kube.kubectl(["apply", "-f", "-"], {
      as: "administrator",
      input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: labelled-ns\n  labels:\n    skylight.io/cluster: ${CLUSTER}\n  annotations:\n    skylight.io/deleted-by: dana\n`,
    });
    expect(created.stderr).toContain('The Namespace "labelled-ns" is invalid: metadata.annotations.skylight.io/deleted-by: ');
    const named = await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: labelled-ns\n  labels:\n    skylight.io/cluster: ${CLUSTER}\n` });
    expect(named.stderr).toBe("");
    const { rows } = await kube.pool.query(`SELECT labels, annotations FROM resources WHERE kind = 'Namespace' AND name = ANY($1) ORDER BY name`, [[DEV_SPACE, "labelled-ns"]]);
    expect(rows.map((row) => [engineOwned(row.labels), engineOwned(row.annotations)])).toEqual([
      [{ "skylight.io/cluster": CLUSTER }, {}],
      [{ "skylight.io/cluster": CLUSTER }, {}],
    ]);
  });

  test("a VM on a datastore its namespace's cluster does not mount is refused", async () => {
    const created = await kube.kubectl(["apply", "-f", "-"], { as: "operator", input: vm("far-away", "", "seattle-vsan") });
    expect(created.code).not.toBe(0);
    expect(created.stderr).toContain(`The VirtualMachine "far-away" is invalid: spec.storageClass: Datastore "seattle-vsan" is not mounted by the hosts of cluster ${CLUSTER}.`);
    expect((await kube.kubectl(["get", "vm", "far-away", "-n", DEV_SPACE])).stderr).toContain("NotFound");
  });
});
