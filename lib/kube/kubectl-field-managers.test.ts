// The real kubectl and the lists vm-operator declares list-maps (volumes, network interfaces):
// server-side apply owns their items by name and shows who owns what in managedFields, and
// kubectl patch's default strategic merge patch merges items by name instead of replacing the list.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { NAMESPACE } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6473 });
  await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name: "vm-network", spec: { datacenter: "dc-test", portGroup: "VM Network" } });
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

const vm = (name: string, spec: string) => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ${NAMESPACE}
spec:
${spec}`;

const BASE = `  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: test-vsan
  powerState: PoweredOff
  network:
    interfaces:
    - name: eth0
      network:
        name: vm-network
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: web-data
`;

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
}

async function vmJson(name: string) {
  const result = await kube.kubectl(["get", "vm", name, "-n", NAMESPACE, "-o", "json", "--show-managed-fields"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { metadata: { managedFields?: ManagedFieldsEntry[] }; spec: { volumes?: { name: string; persistentVolumeClaim: { claimName: string } }[]; network?: { interfaces: { name: string; network?: { name: string } }[] } } };
}

const volumeNames = async (name: string) => (await vmJson(name)).spec.volumes?.map((volume) => `${volume.name}=${volume.persistentVolumeClaim.claimName}`);

describe("list-maps and field managers", () => {
  test("server-side apply: managers own volumes by name, managedFields shows who owns what, and a manager's dropped volume goes", async () => {
    const first = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vm("ssa-lists", BASE) });
    expect(first.stderr).toBe("");
    const logs = vm("ssa-lists", "  volumes:\n  - name: logs\n    persistentVolumeClaim:\n      claimName: web-logs\n");
    const second = await kube.kubectl(["apply", "--server-side", "--field-manager=storage-bot", "-f", "-"], { input: logs });
    expect(second.stderr).toBe("");
    expect(await volumeNames("ssa-lists")).toEqual(["data=web-data", "logs=web-logs"]);

    const { metadata } = await vmJson("ssa-lists");
    expect(metadata.managedFields!.map((entry) => [entry.manager, entry.operation, entry.apiVersion, entry.fieldsType])).toEqual([
      ["kubectl", "Apply", "vmoperator.vmware.com/v1alpha3", "FieldsV1"],
      ["storage-bot", "Apply", "vmoperator.vmware.com/v1alpha3", "FieldsV1"],
    ]);
    expect(metadata.managedFields![0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(metadata.managedFields![1]!.fieldsV1).toEqual({
      "f:spec": { "f:volumes": { 'k:{"name":"logs"}': { ".": {}, "f:name": {}, "f:persistentVolumeClaim": { ".": {}, "f:claimName": {} } } } },
    });
    const kubectlFields = metadata.managedFields![0]!.fieldsV1 as { "f:spec": Record<string, Record<string, unknown>> };
    expect(Object.keys(kubectlFields["f:spec"]["f:network"]!["f:interfaces"] as object)).toEqual(['k:{"name":"eth0"}']);
    expect(Object.keys(kubectlFields["f:spec"]["f:volumes"]!)).toEqual(['k:{"name":"data"}']);

    const yaml = await kube.kubectl(["get", "vm", "ssa-lists", "-n", NAMESPACE, "-o", "yaml", "--show-managed-fields"]);
    expect(yaml.stdout).toMatch(/managedFields:\n\s+- apiVersion: vmoperator\.vmware\.com\/v1alpha3\n\s+fieldsType: FieldsV1\n\s+fieldsV1:\n\s+f:spec:/);
    expect(yaml.stdout).toContain("manager: storage-bot");
    const plain = await kube.kubectl(["get", "vm", "ssa-lists", "-n", NAMESPACE, "-o", "yaml"]);
    expect(plain.stdout).not.toContain("managedFields");

    // The other manager's volume is theirs: changing it is a conflict naming the item by key.
    const taking = await kube.kubectl(["apply", "--server-side", "--field-manager=storage-bot", "-f", "-"], { input: logs.replace("logs\n    persistentVolumeClaim:\n      claimName: web-logs", "data\n    persistentVolumeClaim:\n      claimName: other-data") });
    expect(taking.stderr).toContain('conflict with "kubectl" using vmoperator.vmware.com/v1alpha3: .spec.volumes[name="data"].persistentVolumeClaim.claimName');

    const withoutData = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vm("ssa-lists", BASE.replace(/  volumes:\n[\s\S]*$/, "")) });
    expect(withoutData.stderr).toBe("");
    expect(await volumeNames("ssa-lists")).toEqual(["logs=web-logs"]);
  });

  test("kubectl patch merges volumes and interfaces by name; $patch: delete removes one; a merge patch replaces the list", async () => {
    expect((await kube.kubectl(["apply", "-f", "-"], { input: vm("smp-lists", BASE) })).stderr).toBe("");
    const added = await kube.kubectl(["patch", "vm", "smp-lists", "-n", NAMESPACE, "-p", '{"spec":{"volumes":[{"name":"extra","persistentVolumeClaim":{"claimName":"web-extra"}}],"network":{"interfaces":[{"name":"eth1"}]}}}']);
    expect(added.stderr).toBe("");
    expect(await volumeNames("smp-lists")).toEqual(["data=web-data", "extra=web-extra"]);
    expect((await vmJson("smp-lists")).spec.network!.interfaces).toEqual([{ name: "eth0", network: { name: "vm-network" } }, { name: "eth1" }]);

    const changed = await kube.kubectl(["patch", "vm", "smp-lists", "-n", NAMESPACE, "-p", '{"spec":{"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"web-data-2"}}]}}']);
    expect(changed.stderr).toBe("");
    expect(await volumeNames("smp-lists")).toEqual(["data=web-data-2", "extra=web-extra"]);

    const removed = await kube.kubectl(["patch", "vm", "smp-lists", "-n", NAMESPACE, "-p", '{"spec":{"volumes":[{"name":"extra","$patch":"delete"}]}}']);
    expect(removed.stderr).toBe("");
    expect(await volumeNames("smp-lists")).toEqual(["data=web-data-2"]);

    const keyless = await kube.kubectl(["patch", "vm", "smp-lists", "-n", NAMESPACE, "-p", '{"spec":{"volumes":[{"persistentVolumeClaim":{"claimName":"x"}}]}}']);
    expect(keyless.stderr).toContain("each item of spec.volumes needs name: its items are merged by key");

    const replaced = await kube.kubectl(["patch", "vm", "smp-lists", "-n", NAMESPACE, "--type=merge", "-p", '{"spec":{"volumes":[{"name":"only","persistentVolumeClaim":{"claimName":"web-only"}}]}}']);
    expect(replaced.stderr).toBe("");
    expect(await volumeNames("smp-lists")).toEqual(["only=web-only"]);
  });
});
